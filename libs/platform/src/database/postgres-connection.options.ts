import type { PoolConfig } from 'pg';

/** Pool limits shared by the apps' PostgreSQL pools. */
const POOL_LIMITS = { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 };

/** A pg pool for the database at `url`; `applicationName` names its connections in pg_stat_activity. */
export function postgresPoolConfig(url: string, applicationName: string): PoolConfig {
  return { connectionString: url, application_name: applicationName, ...POOL_LIMITS };
}

/** TypeORM's settings for the same database, for the migrations (the apps' SQL runs on pg pools of their own). */
export function postgresConnectionOptions(url: string, applicationName: string) {
  return {
    type: 'postgres' as const,
    url,
    applicationName,
    synchronize: false,
    extra: POOL_LIMITS,
  };
}
