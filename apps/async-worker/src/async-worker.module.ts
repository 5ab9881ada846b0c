import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataModule, JobQueuesModule, OMS_READINESS } from '@app/data';
import { AppConfig, ConfigModule, HealthModule, HttpExceptionFilter, LifecycleState } from '@app/platform';
import { BrokeringProcessor } from './brokering/brokering.processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { OutboxRelayRunner } from './outbox/outbox-relay.runner';
import { BullMqJobPublisher } from './queues/bullmq-job-publisher';
import { unhandledJobs } from './queues/handles-jobs';
import { JobSchedules } from './queues/job-schedules';

/** Consumes the queues, relays the outbox into them and keeps the schedules; serves health over HTTP. */
@Module({})
export class AsyncWorkerModule implements OnModuleInit {
  constructor(
    private readonly brokering: BrokeringProcessor,
    private readonly maintenance: MaintenanceProcessor,
    private readonly lifecycle: LifecycleState,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AsyncWorkerModule,
      imports: [ConfigModule.forRoot(config), DataModule, JobQueuesModule.forRoot('worker'), HealthModule.forRoot(OMS_READINESS)],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        BullMqJobPublisher,
        OutboxRelayRunner,
        JobSchedules,
        BrokeringProcessor,
        MaintenanceProcessor,
      ],
    };
  }

  onModuleInit(): void {
    const missing = unhandledJobs([this.brokering, this.maintenance]);
    if (missing.length > 0) throw new Error(`no processor handles the jobs ${missing.join(', ')}`);
    // Draining: take no new jobs; active ones finish before the workers close (app.close()).
    this.lifecycle.onDraining(() => {
      for (const processor of [this.brokering, this.maintenance]) void processor.worker.pause(true);
    });
  }
}
