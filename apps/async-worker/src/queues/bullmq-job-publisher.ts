import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, jobDataOf, JobPublisher, JobRequest, QueueName } from '@app/jobs';
import { withTimeout } from '@app/platform';

/** Retries with exponential backoff; completed jobs kept an hour (so a re-published job id stays a no-op), failed ones a week for inspection. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** While Redis is down a worker connection queues commands; give up on a publish after this and let the outbox keep the events. */
const PUBLISH_TIMEOUT_MS = 5000;

@Injectable()
export class BullMqJobPublisher implements JobPublisher {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Brokering) brokering: Queue,
    @InjectQueue(QueueName.Warehouse) warehouse: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = { [QueueName.Brokering]: brokering, [QueueName.Warehouse]: warehouse, [QueueName.Maintenance]: maintenance };
  }

  async publish(jobs: JobRequest[]): Promise<void> {
    const byQueue = new Map<QueueName, JobRequest[]>();
    for (const job of jobs) byQueue.set(JOB_QUEUE[job.name], [...(byQueue.get(JOB_QUEUE[job.name]) ?? []), job]);
    await withTimeout(
      Promise.all(
        [...byQueue].map(([queue, queued]) =>
          this.queues[queue].addBulk(
            queued.map((job) => ({ name: job.name, data: jobDataOf(job), opts: { ...DEFAULT_JOB_OPTIONS, jobId: job.jobId } })),
          ),
        ),
      ),
      PUBLISH_TIMEOUT_MS,
      'the queues did not accept the jobs',
    );
  }
}
