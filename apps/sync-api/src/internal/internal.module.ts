import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { ApiKeysController } from './api-keys.controller';
import { MetricsController } from './metrics.controller';

/** Admin routes: served only on INTERNAL_PORT and only with the admin token. */
@Module({ imports: [DataModule], controllers: [MetricsController, ApiKeysController] })
export class InternalModule {}
