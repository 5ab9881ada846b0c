import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** Admin routes: served only on INTERNAL_PORT and only with the admin token. */
@Module({ controllers: [MetricsController] })
export class InternalModule {}
