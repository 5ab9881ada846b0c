import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { DataModule } from '@app/data';
import { WarehouseModule } from '@app/warehouse';
import { ReportsController } from './reports.controller';

/** The reports of the public API; they read the warehouse only (API keys and rate limits come from the OMS and the cache). */
@Module({ imports: [DataModule, CacheModule, WarehouseModule], controllers: [ReportsController] })
export class ReportsModule {}
