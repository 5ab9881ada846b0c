import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { OmsStack } from '../lib/oms-stack';
import { DEFAULT_SIZES } from '../lib/parameters-from-context';
import type { OmsParameters } from '../lib/parameters';

export const TEST_PARAMETERS: OmsParameters = {
  ...DEFAULT_SIZES,
  domainName: 'oms.shop.test',
  hostedZoneId: 'Z0TEST',
  hostedZoneName: 'shop.test',
  shutdownDrainSeconds: 20,
};

/** The stack with an image from a registry: synth in a test builds nothing. */
export function synthesize(overrides: Partial<OmsParameters> = {}): Template {
  const app = new App();
  const stack = new OmsStack(app, 'Oms', {
    parameters: { ...TEST_PARAMETERS, ...overrides },
    image: ecs.ContainerImage.fromRegistry('oms:test'),
  });
  // The same template as Template.fromStack(stack) gives, from the app's own synth: several times faster.
  return Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
}
