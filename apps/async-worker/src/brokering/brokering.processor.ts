import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { BrokeringService, JobName, JobPayloads, QueueName } from '@app/data';
import { HandlesJobs } from '../queues/handles-jobs';

const BATCH_SIZE = 200;
/** Longer than the slowest batch, so a live worker never loses its lock; a dead one's jobs return after it. */
const LOCK_DURATION_MS = 60_000;

/** Thin: each job is one call of the brokering service. */
@Processor(QueueName.Brokering, { concurrency: 2, lockDuration: LOCK_DURATION_MS })
export class BrokeringProcessor extends WorkerHost implements HandlesJobs {
  readonly handles = [JobName.BrokerOrders, JobName.RebrokerProducts, JobName.BrokeringSweep];

  constructor(private readonly brokering: BrokeringService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.BrokerOrders:
        return this.brokering.brokerOrders((job.data as JobPayloads[JobName.BrokerOrders]).orderIds);
      case JobName.RebrokerProducts:
        return this.drain(() => this.brokering.rebrokerProducts((job.data as JobPayloads[JobName.RebrokerProducts]).productIds, BATCH_SIZE));
      case JobName.BrokeringSweep:
        return this.drain(() => this.brokering.brokerPending(BATCH_SIZE));
      default:
        throw new Error(`queue ${QueueName.Brokering} has no handler for job ${job.name}`);
    }
  }

  /** Runs batches until one brokers nothing; returns how many orders were brokered. */
  private async drain(batch: () => Promise<{ brokered: string[] }>): Promise<{ brokered: number }> {
    let brokered = 0;
    for (;;) {
      const outcome = await batch();
      brokered += outcome.brokered.length;
      if (outcome.brokered.length === 0) return { brokered };
    }
  }
}
