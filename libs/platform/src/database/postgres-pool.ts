import { Pool, PoolConfig } from 'pg';

const reportedByTheNextQuery = () => undefined;

/**
 * A pg pool that survives its server going away (a restart, a failover, a stopped replica). pg
 * emits a lost connection as an 'error' event, on the pool for an idle client and on the client
 * itself for one that is checked out (pg-pool takes its own listener off while a client is lent),
 * and an 'error' event nobody listens to ends the process. The failure still reaches the caller:
 * the next query on that connection rejects, and the pool drops the connection when it is released.
 */
export function createPostgresPool(config: PoolConfig): Pool {
  const pool = new Pool(config);
  pool.on('error', reportedByTheNextQuery);
  pool.on('connect', (client) => client.on('error', reportedByTheNextQuery));
  return pool;
}
