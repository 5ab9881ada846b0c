import { ResponseCacheModule } from '@app/cache';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { DataModule, OMS_READINESS } from '@app/data';
import { AppConfig, ConfigModule, createValidationPipe, HealthModule, HttpExceptionFilter, MetricsModule } from '@app/platform';
import { PublicApiModule } from './api/public-api.module';
import { InternalModule } from './internal/internal.module';
import { ReportsModule } from './reports/reports.module';
import { ShopifyWebhooksModule } from './webhooks/shopify-webhooks.module';
import { ApiKeyCacheAdmission } from './api/api-key-cache-admission';

@Module({})
export class SyncApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SyncApiModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        ResponseCacheModule.forRoot({ admission: { useClass: ApiKeyCacheAdmission, imports: [DataModule] } }),
        DataModule,
        HealthModule.forRoot(OMS_READINESS),
        PublicApiModule,
        ReportsModule,
        ShopifyWebhooksModule,
        InternalModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
