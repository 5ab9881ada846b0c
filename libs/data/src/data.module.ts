import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CacheModule } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { ApiKeysService } from './api-keys/api-keys.service';
import { FacilitiesService } from './catalog/facilities.service';
import { ProductsService } from './catalog/products.service';
import { Database } from './database/database';
import { primaryDataSourceOptions } from './database/data-source.options';
import { PrimaryDatabaseHealth } from './health/primary-database.health';
import { ReplicaHealth } from './health/replica.health';
import { InventoryService } from './inventory/inventory.service';
import { OrdersService } from './orders/orders.service';
import { ReadRouter } from './read-routing/read-router';
import { WriteMarksStore } from './read-routing/write-marks.store';
import { ReplicaClient } from './replica/replica.client';

const DOMAIN_SERVICES = [ApiKeysService, ProductsService, FacilitiesService, InventoryService, OrdersService];

@Module({
  imports: [
    TerminusModule,
    CacheModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...primaryDataSourceOptions(config.database.primaryUrl, 'oms'),
        retryAttempts: 10,
        retryDelay: 2000,
      }),
    }),
  ],
  providers: [Database, ReplicaClient, WriteMarksStore, ReadRouter, PrimaryDatabaseHealth, ReplicaHealth, ...DOMAIN_SERVICES],
  exports: [ReadRouter, PrimaryDatabaseHealth, ReplicaHealth, ...DOMAIN_SERVICES],
})
export class DataModule {}
