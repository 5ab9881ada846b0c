import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataModule, OMS_READINESS } from '@app/data';
import { AppConfig, ConfigModule, HealthModule, HttpExceptionFilter, LoggingModule } from '@app/platform';

/** The worker serves nothing but health over HTTP; queues and schedules join it as they are built. */
@Module({})
export class AsyncWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AsyncWorkerModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config, 'async-worker'), DataModule, HealthModule.forRoot(OMS_READINESS)],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
