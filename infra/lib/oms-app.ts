import { App } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { OmsStack } from './oms-stack';
import { parametersFromContext } from './parameters-from-context';

/** The deployable stack: parameters from the app's context, the image built from the repository's docker/Dockerfile. */
export function defineOmsStack(app: App, repoRoot: string): OmsStack {
  return new OmsStack(app, 'Oms', {
    description:
      'OMS: the HotWax Commerce architecture (Route 53, ALB, sync-api and async-worker on Fargate, ElastiCache, RDS primary + replica, warehouse)',
    parameters: parametersFromContext(app.node),
    // The build context is the repository as its .dockerignore filters it (which also keeps infra/cdk.out out).
    image: ecs.ContainerImage.fromAsset(repoRoot, { file: 'docker/Dockerfile', platform: Platform.LINUX_AMD64 }),
  });
}
