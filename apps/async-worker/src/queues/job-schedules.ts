import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, QueueName } from '@app/jobs';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { RoutingConfigService } from '@app/data';

const RETRY_MS = 5000;
/** Upserting again is a no-op, and puts the schedules back after Redis lost its data (a restart without persistence). */
const REFRESH_MS = 60_000;
const OUTBOX_PRUNE_CRON = '17 3 * * *';
/** Job schedulers of SCHEDULE routing groups are named after the group. */
const ROUTING_GROUP_SCHEDULER = 'routing-group-';

/**
 * Schedules are data in Redis (BullMQ job schedulers, upserted by id): however many workers start,
 * each tick makes one job, which one worker runs.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Brokering) private readonly brokering: Queue,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectQueue(QueueName.Warehouse) private readonly warehouse: Queue,
    private readonly routing: RoutingConfigService,
  ) {}

  /**
   * One job scheduler per ACTIVE SCHEDULE routing group, on its cron in BROKERING_TZ; schedulers of
   * groups no longer active-scheduled are removed. Run at start, every refresh, and when the routing
   * configuration changes.
   */
  async syncRoutingGroups(): Promise<void> {
    const groups = await this.routing.scheduledGroups();
    for (const group of groups) {
      await this.brokering.upsertJobScheduler(
        `${ROUTING_GROUP_SCHEDULER}${group.id}`,
        { pattern: group.cron!, tz: this.config.brokering.timeZone },
        { name: JobName.RunRoutingGroup, data: { groupId: group.id }, opts: { attempts: 1 } },
      );
    }
    const wanted = new Set(groups.map((group) => `${ROUTING_GROUP_SCHEDULER}${group.id}`));
    for (const scheduler of await this.brokering.getJobSchedulers()) {
      const key = scheduler.key;
      if (key.startsWith(ROUTING_GROUP_SCHEDULER) && !wanted.has(key)) await this.brokering.removeJobScheduler(key);
    }
  }

  onApplicationBootstrap(): void {
    void this.upsert();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async upsert(): Promise<void> {
    try {
      await this.brokering.upsertJobScheduler(
        JobName.BrokeringSweep,
        { pattern: this.config.schedules.brokeringSweepCron },
        { name: JobName.BrokeringSweep, data: {} },
      );
      await this.maintenance.upsertJobScheduler(JobName.PruneOutbox, { pattern: OUTBOX_PRUNE_CRON }, { name: JobName.PruneOutbox, data: {} });
      await this.maintenance.upsertJobScheduler(
        JobName.AutoCancelItems,
        { pattern: this.config.schedules.autoCancelCron },
        { name: JobName.AutoCancelItems, data: {}, opts: { attempts: 1 } },
      );
      await this.maintenance.upsertJobScheduler(
        JobName.SnapshotAvailability,
        { pattern: this.config.schedules.availabilitySnapshotCron },
        { name: JobName.SnapshotAvailability, data: {}, opts: { attempts: 1 } },
      );
      await this.warehouse.upsertJobScheduler(
        JobName.WarehouseEtl,
        { pattern: this.config.schedules.warehouseEtlCron, tz: this.config.schedules.warehouseTimeZone },
        { name: JobName.WarehouseEtl, data: {}, opts: { attempts: 1 } },
      );
      await this.syncRoutingGroups();
      this.retry = setTimeout(() => void this.upsert(), REFRESH_MS);
    } catch (error) {
      this.logger.warn(`cannot write the job schedules yet (${(error as Error).message}); retrying`);
      this.retry = setTimeout(() => void this.upsert(), RETRY_MS);
    }
  }
}
