import { App } from 'aws-cdk-lib';
import * as path from 'node:path';
import { defineOmsStack } from '../lib/oms-app';

// cdk runs the app from infra/, where cdk.json is; the image's build context is the repository.
defineOmsStack(new App(), path.resolve('..'));
