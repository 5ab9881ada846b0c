import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AvailabilityService, ItemCancelService, OutboxRelayService, PickupService } from '@app/data';
import { JobName, QueueName } from '@app/jobs';
import { JobHost } from '../queues/job-host';
import { JobSchedules } from '../queues/job-schedules';

@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends JobHost {
  readonly handles = [JobName.PruneOutbox, JobName.SyncRoutingSchedules, JobName.AutoCancelItems, JobName.SnapshotAvailability];

  constructor(
    private readonly relay: OutboxRelayService,
    private readonly schedules: JobSchedules,
    private readonly itemCancels: ItemCancelService,
    private readonly pickups: PickupService,
    private readonly availability: AvailabilityService,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.PruneOutbox:
        return { deleted: await this.relay.prune() };
      case JobName.SyncRoutingSchedules:
        return this.schedules.syncRoutingGroups();
      case JobName.AutoCancelItems:
        return { cancelled: await this.itemCancels.autoCancelDue(), notCollected: await this.pickups.cancelNotCollected() };
      case JobName.SnapshotAvailability:
        return this.availability.takeSnapshots();
      default:
        throw new Error(`queue ${QueueName.Maintenance} has no handler for job ${job.name}`);
    }
  }
}
