import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataModule, OMS_READINESS } from '@app/data';
import { JobQueuesModule } from '@app/jobs';
import { AppConfig, ConfigModule, HealthModule, HttpExceptionFilter, LifecycleState, MetricsModule } from '@app/platform';
import { WarehouseModule } from '@app/warehouse';
import { BrokeringProcessor } from './brokering/brokering.processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MetricsController } from './metrics/metrics.controller';
import { OutboxRelayRunner } from './outbox/outbox-relay.runner';
import { BullMqJobPublisher } from './queues/bullmq-job-publisher';
import { unhandledJobs } from './queues/handles-jobs';
import { JobMetrics } from './queues/job-metrics';
import { JobSchedules } from './queues/job-schedules';
import { WarehouseProcessor } from './warehouse/warehouse.processor';
import { WebhookDispatchRunner } from './webhooks/webhook-dispatch.runner';
import { WebhookMetrics } from './webhooks/webhook-metrics';

/** Consumes the queues, relays the outbox into them, sends outbound webhooks and keeps the schedules; serves health and metrics over HTTP. */
@Module({})
export class AsyncWorkerModule implements OnModuleInit {
  constructor(
    private readonly brokering: BrokeringProcessor,
    private readonly maintenance: MaintenanceProcessor,
    private readonly warehouse: WarehouseProcessor,
    private readonly lifecycle: LifecycleState,
    private readonly jobMetrics: JobMetrics,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AsyncWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DataModule,
        JobQueuesModule.forRoot('worker'),
        WarehouseModule,
        HealthModule.forRoot(OMS_READINESS),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        BullMqJobPublisher,
        OutboxRelayRunner,
        JobSchedules,
        BrokeringProcessor,
        MaintenanceProcessor,
        WarehouseProcessor,
        JobMetrics,
        WebhookMetrics,
        WebhookDispatchRunner,
      ],
    };
  }

  onModuleInit(): void {
    const missing = unhandledJobs(this.processors());
    if (missing.length > 0) throw new Error(`no processor handles the jobs ${missing.join(', ')}`);
    for (const processor of this.processors()) this.jobMetrics.observe(processor.worker);
    // Draining: take no new jobs; active ones finish before the workers close (app.close()).
    this.lifecycle.onDraining(() => {
      for (const processor of this.processors()) void processor.worker.pause(true);
    });
  }

  private processors() {
    return [this.brokering, this.maintenance, this.warehouse];
  }
}
