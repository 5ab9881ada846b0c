import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { EtlSourceClient } from './database/etl-source.client';
import { WarehouseDatabase } from './database/warehouse-database.client';
import { EtlMetrics } from './etl/etl-metrics';
import { EtlService } from './etl/etl.service';
import { StarLoadRepository } from './etl/star-load.repository';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { EtlJobQueue } from './runs/etl-job.queue';
import { EtlRunsRepository } from './runs/etl-runs.repository';
import { EtlRunsService } from './runs/etl-runs.service';

/**
 * The warehouse: ETL runs (their records, the job that triggers them, the run itself) and the
 * reports. The app imports the queues (JobQueuesModule, global), the warehouse queue among them.
 */
@Module({
  imports: [CacheModule],
  providers: [
    WarehouseDatabase,
    EtlSourceClient,
    StarLoadRepository,
    EtlRunsRepository,
    EtlJobQueue,
    EtlRunsService,
    EtlMetrics,
    EtlService,
    ReportsRepository,
    ReportsService,
  ],
  exports: [EtlRunsService, EtlService, ReportsService],
})
export class WarehouseModule {}
