import { Module } from '@nestjs/common';
import { DataModule, JobQueuesModule } from '@app/data';
import { ApiKeysController } from './api-keys.controller';
import { MetricsController } from './metrics.controller';
import { QueuesController } from './queues.controller';

/** Admin routes: served only on INTERNAL_PORT and only with the admin token. */
@Module({ imports: [DataModule, JobQueuesModule.forRoot('producer')], controllers: [MetricsController, ApiKeysController, QueuesController] })
export class InternalModule {}
