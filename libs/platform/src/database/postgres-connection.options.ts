import type { PoolConfig } from 'pg';

/** Pool limits shared by the apps' PostgreSQL pools. */
const POOL_LIMITS = { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 };

/**
 * The server checks every second that the client of a running statement is still there: a process
 * killed while its statement waited for a lock would otherwise keep its transaction, and every
 * lock it holds, until that wait ended, stalling the brokering and fulfilment behind it.
 */
const DEAD_CLIENT_CHECK = '-c client_connection_check_interval=1000';

/** A pg pool for the database at `url`; `applicationName` names its connections in pg_stat_activity. */
export function postgresPoolConfig(url: string, applicationName: string): PoolConfig {
  return { connectionString: url, application_name: applicationName, options: DEAD_CLIENT_CHECK, ...POOL_LIMITS };
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
