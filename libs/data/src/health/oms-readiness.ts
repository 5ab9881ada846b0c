import { CacheModule, RedisHealth } from '@app/cache';
import type { HealthModuleOptions } from '@app/platform';
import { DataModule } from '../data.module';
import { PrimaryDatabaseHealth } from './primary-database.health';
import { ReplicaHealth } from './replica.health';

/** What readiness looks at in both apps: the primary (critical), the replica and Redis (reported). */
export const OMS_READINESS: HealthModuleOptions = {
  imports: [DataModule, CacheModule],
  checks: [PrimaryDatabaseHealth, ReplicaHealth, RedisHealth],
};
