import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { BrokeringOutcome, BrokeringService, ClaimPosition, PromisesService } from '@app/data';
import { BROKERING_BATCH_SIZE, JobName, JobPayloads, QueueName } from '@app/jobs';
import { JobHost } from '../queues/job-host';

/** Longer than the slowest batch, so a live worker never loses its lock; a dead one's jobs return after it. */
const LOCK_DURATION_MS = 60_000;

/** Thin: each job is one call of the brokering service. */
@Processor(QueueName.Brokering, { concurrency: 2, lockDuration: LOCK_DURATION_MS })
export class BrokeringProcessor extends JobHost {
  readonly handles = [JobName.BrokerOrders, JobName.RebrokerProducts, JobName.BrokeringSweep, JobName.RunRoutingGroup, JobName.RecomputePromises];

  constructor(
    private readonly brokering: BrokeringService,
    private readonly promises: PromisesService,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.BrokerOrders:
        return this.brokering.brokerOrders((job.data as JobPayloads[JobName.BrokerOrders]).orderIds, BROKERING_BATCH_SIZE);
      case JobName.RebrokerProducts:
        return this.drain((after) =>
          this.brokering.rebrokerProducts((job.data as JobPayloads[JobName.RebrokerProducts]).productIds, BROKERING_BATCH_SIZE, after),
        );
      case JobName.BrokeringSweep:
        return this.drain((after) => this.brokering.brokerPending(BROKERING_BATCH_SIZE, after));
      case JobName.RunRoutingGroup: {
        const { groupId, runId } = job.data as JobPayloads[JobName.RunRoutingGroup];
        return this.brokering.runGroup(groupId, BROKERING_BATCH_SIZE, runId);
      }
      case JobName.RecomputePromises:
        return this.promises.recomputeForOrders((job.data as JobPayloads[JobName.RecomputePromises]).orderIds);
      default:
        throw new Error(`queue ${QueueName.Brokering} has no handler for job ${job.name}`);
    }
  }

  /** Runs batches, each continuing after the last, until one is not full; returns how many orders were brokered. */
  private async drain(batch: (after?: ClaimPosition) => Promise<BrokeringOutcome>): Promise<{ brokered: number }> {
    let brokered = 0;
    let after: ClaimPosition | undefined;
    do {
      const outcome = await batch(after);
      brokered += outcome.brokered.length;
      after = outcome.next;
    } while (after);
    return { brokered };
  }
}
