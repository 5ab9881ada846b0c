import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { CacheModule, RateLimitStorage } from '@app/cache';
import { DataModule } from '@app/data';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { FacilitiesController } from '../facilities/facilities.controller';
import { InventoryController } from '../inventory/inventory.controller';
import { OrdersController } from '../orders/orders.controller';
import { ProductsController } from '../products/products.controller';

const RATE_WINDOW_MS = 60_000;

@Module({
  imports: [
    DataModule,
    ThrottlerModule.forRootAsync({
      imports: [CacheModule],
      inject: [APP_CONFIG, RateLimitStorage],
      useFactory: (config: AppConfig, storage: RateLimitStorage) => ({
        throttlers: [{ ttl: RATE_WINDOW_MS, limit: config.rateLimitPerMinute }],
        storage,
        skipIf: () => config.rateLimitPerMinute === 0,
      }),
    }),
  ],
  controllers: [ProductsController, FacilitiesController, InventoryController, OrdersController],
})
export class PublicApiModule {}
