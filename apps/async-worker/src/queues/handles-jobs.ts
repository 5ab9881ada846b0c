import { JobName } from '@app/jobs';

/** A processor says which jobs it handles, so that start-up can check that every job has one. */
export interface HandlesJobs {
  readonly handles: readonly JobName[];
}

/** The job names no processor handles; start-up refuses to run with any. */
export function unhandledJobs(processors: HandlesJobs[]): JobName[] {
  const handled = new Set(processors.flatMap((processor) => processor.handles));
  return Object.values(JobName).filter((name) => !handled.has(name));
}
