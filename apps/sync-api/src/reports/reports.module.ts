import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { DataModule } from '@app/data';
import { WarehouseModule } from '@app/warehouse';
import { ClientAddressRateLimitGuard } from './client-address-rate-limit.guard';
import { DashboardAssets } from './dashboard-assets';
import { DashboardDataController } from './dashboard-data.controller';
import { DashboardController } from './dashboard.controller';
import { ReportsController } from './reports.controller';

/**
 * The reports of the public API and the dashboard that charts them; they read the warehouse only
 * (API keys and rate limits come from the OMS and the cache).
 */
@Module({
  imports: [DataModule, CacheModule, WarehouseModule],
  controllers: [ReportsController, DashboardDataController, DashboardController],
  providers: [DashboardAssets, ClientAddressRateLimitGuard],
})
export class ReportsModule {}
