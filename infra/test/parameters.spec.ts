import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SIZES, parametersFromContext } from '../lib/parameters-from-context';
import { OmsParameters, validateParameters } from '../lib/parameters';
import { TEST_PARAMETERS } from './oms-stack.fixture';

const CDK_JSON = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, string> };

describe('parameters', () => {
  it('reads cdk.json’s context, with the default sizes', () => {
    expect(parametersFromContext(new App({ context: CDK_JSON.context }).node)).toEqual({ ...DEFAULT_SIZES, ...CDK_JSON.context });
  });

  it('reads `-c` strings as the type of each default, nested keys by dotted name', () => {
    const app = new App({ context: { ...CDK_JSON.context, 'syncApi.maxCount': '10', readFromReplica: 'true', internalPortAccess: 'vpc' } });
    expect(parametersFromContext(app.node)).toMatchObject({
      syncApi: { ...DEFAULT_SIZES.syncApi, maxCount: 10 },
      readFromReplica: true,
      internalPortAccess: 'vpc',
    });
  });

  it('refuses a missing domain and values of the wrong type, naming the key', () => {
    expect(() => parametersFromContext(new App().node)).toThrow('context domainName is required');
    expect(() => parametersFromContext(new App({ context: { ...CDK_JSON.context, 'asyncWorker.cpu': 'lots' } }).node)).toThrow(
      'asyncWorker.cpu must be a number',
    );
  });

  it('refuses a drain shorter than the load balancer needs to see a draining task, or too long for Fargate to wait', () => {
    expect(() => validateParameters({ ...TEST_PARAMETERS, shutdownDrainSeconds: 9 })).toThrow('shutdownDrainSeconds must be at least 10');
    expect(validateParameters({ ...TEST_PARAMETERS, shutdownDrainSeconds: 10 }).shutdownDrainSeconds).toBe(10);
    expect(() => validateParameters({ ...TEST_PARAMETERS, shutdownDrainSeconds: 86 })).toThrow('leaves no time to close');
  });

  it("refuses an ALB idle timeout that is not below the apps' keep-alive timeout", () => {
    expect(() => validateParameters({ ...TEST_PARAMETERS, albIdleTimeoutSeconds: 65 })).toThrow(
      "albIdleTimeoutSeconds must be below the apps' keep-alive timeout (65 s)",
    );
    expect(validateParameters({ ...TEST_PARAMETERS, albIdleTimeoutSeconds: 64 }).albIdleTimeoutSeconds).toBe(64);
    expect(() => validateParameters({ ...TEST_PARAMETERS, albIdleTimeoutSeconds: 0 })).toThrow('albIdleTimeoutSeconds must be a whole number');
  });

  it('refuses scaling bounds that cannot hold and an unknown internal port access', () => {
    expect(() => validateParameters({ ...TEST_PARAMETERS, syncApi: { ...TEST_PARAMETERS.syncApi, minCount: 3, maxCount: 2 } })).toThrow('syncApi');
    const internalPortAccess = 'world' as OmsParameters['internalPortAccess'];
    expect(() => validateParameters({ ...TEST_PARAMETERS, internalPortAccess })).toThrow('internalPortAccess must be none or vpc');
  });
});
