import { dropTemplates, TEMPLATE_RUN_VARIABLE } from './test-databases';

/** Drops the run's template databases on the shared test pair (a drill's own pair drops its old ones itself). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env[TEMPLATE_RUN_VARIABLE];
  if (run && process.env.DATABASE_URL) await dropTemplates(run);
}
