import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { currentJobOrigin, JobData, JobName, QueueName } from '@app/jobs';

/** The warehouse queue, as far as the ETL's triggers need it. */
@Injectable()
export class EtlJobQueue {
  constructor(@InjectQueue(QueueName.Warehouse) private readonly queue: Queue) {}

  /**
   * One job per run (its id derives from the run's), so a run enqueued twice runs once; a failed run
   * is not retried, it is recorded. The job carries the request that asked for the run.
   */
  async enqueue(runId: string): Promise<void> {
    const data: JobData<JobName.WarehouseEtl> = { runId, origin: currentJobOrigin() };
    await this.queue.add(JobName.WarehouseEtl, data, {
      jobId: `etl-${runId}`,
      attempts: 1,
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
