import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { eventually } from '../../../../test/support/http';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { postgresPoolConfig } from './postgres-connection.options';
import { ensureDatabaseExists } from './ensure-database';

/**
 * A process killed while its statement waits for a lock: with the apps' pool settings the server
 * notices the closed connection and ends the transaction (releasing what it locked) while the lock
 * it waited for is still held, instead of keeping it until that wait ends.
 */
describe('the apps’ PostgreSQL connections (real PostgreSQL)', () => {
  const url = primaryDatabaseUrl(`oms_connections_${randomBytes(4).toString('hex')}`);
  let holder: Client;
  /** Reads pg_stat_activity outside the holder's transaction, which would keep seeing one snapshot of it. */
  let observer: Client;

  beforeAll(async () => {
    await ensureDatabaseExists(url);
    holder = new Client({ connectionString: url });
    observer = new Client({ connectionString: url });
    await holder.connect();
    await observer.connect();
    await holder.query('CREATE TABLE probe (id int PRIMARY KEY)');
    await holder.query('INSERT INTO probe VALUES (1), (2)');
  });

  afterAll(async () => {
    await holder?.end();
    await observer?.end();
    await dropDatabases(url);
  });

  it('ends the transaction of a client killed while waiting for a lock, releasing its own locks, while the lock is still held', async () => {
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM probe WHERE id = 1 FOR UPDATE');
    // Another process with the apps' pool settings locks row 2, then waits for row 1, and is killed.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const { Pool } = require('pg');
         const pool = new Pool(JSON.parse(process.env.POOL_CONFIG));
         pool.connect().then(async (client) => {
           await client.query('BEGIN');
           await client.query('SELECT * FROM probe WHERE id = 2 FOR UPDATE');
           process.stdout.write('locked\\n');
           await client.query('SELECT * FROM probe WHERE id = 1 FOR UPDATE');
         });`,
      ],
      { env: { ...process.env, POOL_CONFIG: JSON.stringify(postgresPoolConfig(url, 'dying-client')) }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    await eventually(async () => (await backends("wait_event_type = 'Lock'")) === 1);

    child.kill('SIGKILL');
    await exited;

    await eventually(async () => (await backends()) === 0, 10_000);
    const { rows } = await holder.query<{ id: number }>('SELECT id FROM probe WHERE id = 2 FOR UPDATE NOWAIT');
    expect(rows).toEqual([{ id: 2 }]);
    await holder.query('ROLLBACK');
  });

  async function backends(condition = 'true'): Promise<number> {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'dying-client' AND datname = current_database() AND ${condition}`,
    );
    return rows[0].n;
  }
});
