import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CacheModule, RedisHealth } from '@app/cache';
import { DataModule, PrimaryDatabaseHealth, ReplicaHealth } from '@app/data';
import {
  AppConfig,
  ConfigModule,
  createValidationPipe,
  HealthModule,
  HttpExceptionFilter,
  LoggingModule,
  MetricsModule,
} from '@app/platform';
import { PublicApiModule } from './api/public-api.module';
import { InternalModule } from './internal/internal.module';

@Module({})
export class SyncApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SyncApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, 'sync-api'),
        MetricsModule,
        DataModule,
        CacheModule,
        HealthModule.forRoot({
          imports: [DataModule, CacheModule],
          checks: [PrimaryDatabaseHealth, ReplicaHealth, RedisHealth],
        }),
        PublicApiModule,
        InternalModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
