import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, JobPayloads, QueueName } from '@app/jobs';
import { EtlService } from '@app/warehouse';
import { JobHost } from '../queues/job-host';

/** The lock is renewed while the run streams (the event loop stays free); this only bounds how long a dead worker's run waits. */
const LOCK_DURATION_MS = 120_000;

/** Thin: a queued run of the internal API, or the end-of-day run, with its progress on the job. */
@Processor(QueueName.Warehouse, { concurrency: 1, lockDuration: LOCK_DURATION_MS })
export class WarehouseProcessor extends JobHost {
  readonly handles = [JobName.WarehouseEtl];

  constructor(private readonly etl: EtlService) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.WarehouseEtl: {
        const { runId } = job.data as JobPayloads[JobName.WarehouseEtl];
        const reportProgress = (progress: object) => job.updateProgress(progress);
        return runId ? this.etl.run(runId, reportProgress) : this.etl.runScheduled(reportProgress);
      }
      default:
        throw new Error(`queue ${QueueName.Warehouse} has no handler for job ${job.name}`);
    }
  }
}
