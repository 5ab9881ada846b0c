import { newTemplateRun, TEMPLATE_RUN_VARIABLE } from './test-databases';

/**
 * Jest's global setup of the projects that create test databases: names the run's template
 * databases, once for every project of the run (the workers inherit the environment).
 */
export default function globalSetup(): void {
  process.env[TEMPLATE_RUN_VARIABLE] ??= newTemplateRun();
}
