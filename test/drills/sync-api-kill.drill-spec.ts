import { setTimeout as sleep } from 'node:timers/promises';
import { reportTraffic } from '../support/drill-report';
import { DrillStack, startDrillStack } from '../support/drill-stack';
import { isRetrySafe } from '../support/traffic';

/**
 * A sync-api dies hard behind the load balancer while clients loop: HAProxy's health checks take it
 * out, the requests it had in flight fail (counted and reported), a client retries the retry-safe
 * ones and they succeed, and no order is lost or created twice. The instance is then started again
 * on its port and HAProxy takes it back.
 */
describe('drill: a sync-api killed with SIGKILL behind HAProxy while a client loops', () => {
  let stack: DrillStack;

  beforeAll(async () => {
    stack = await startDrillStack({ prefix: 'drill_api_kill', syncApis: 2, workers: 1, haproxy: true });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('HAProxy takes it out; only the requests in flight fail, the retry-safe ones are retried and served; no order lost or duplicated', async () => {
    const haproxy = stack.haproxy!;
    const traffic = stack
      .traffic({ concurrency: 6, mix: { product: 2, availability: 2, orderRead: 1, list: 1, order: 4, cancel: 1, stock: 1, reject: 1 }, retry: true })
      .start();
    await sleep(3000);

    const logMark = haproxy.logs.length;
    stack.apis[0].signal('SIGKILL');
    await stack.apis[0].exited;
    const takenOut = await haproxy.logged(/sync-api-1 is DOWN/, logMark);
    const failuresAtTakeout = traffic.failuresSoFar;
    await sleep(3000);
    const failuresWhileOut = traffic.failuresSoFar - failuresAtTakeout;

    await stack.replaceApi(0, 'SIGKILL');
    await sleep(2000);
    const report = await traffic.stop();
    reportTraffic('sync-api SIGKILL drill', report, {
      'failed attempts after HAProxy took it out': failuresWhileOut,
      haproxy: takenOut.slice(0, 120),
    });

    // The retry-safe requests all succeeded in the end; only a stock adjustment in flight at the kill may have failed for good.
    expect(report.failedForGood.filter((failure) => isRetrySafe(failure.operation))).toEqual([]);
    expect(failuresWhileOut).toBe(0);
    expect(report.served).toBeGreaterThan(0);
    await stack.verify(report);
  });
});
