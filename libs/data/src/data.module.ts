import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { primaryDataSourceOptions } from './database/data-source.options';
import { PrimaryDatabaseHealth } from './health/primary-database.health';
import { ReplicaHealth } from './health/replica.health';
import { ReplicaClient } from './replica/replica.client';

@Module({
  imports: [
    TerminusModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...primaryDataSourceOptions(config.database.primaryUrl, 'oms'),
        retryAttempts: 10,
        retryDelay: 2000,
      }),
    }),
  ],
  providers: [ReplicaClient, PrimaryDatabaseHealth, ReplicaHealth],
  exports: [ReplicaClient, PrimaryDatabaseHealth, ReplicaHealth],
})
export class DataModule {}
