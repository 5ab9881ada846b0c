import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, runJob } from '@app/jobs';
import { HandlesJobs } from './handles-jobs';

/**
 * A queue's processor: each job is handled in its own context (runJob), so its log lines carry the
 * request that caused it and its span continues that request's trace. Subclasses only handle.
 */
export abstract class JobHost extends WorkerHost implements HandlesJobs {
  abstract readonly handles: readonly JobName[];

  override process(job: Job): Promise<unknown> {
    return runJob(job, () => this.handle(job));
  }

  protected abstract handle(job: Job): Promise<unknown>;
}
