import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runProgram } from './app-process';

export interface TestDatabases {
  databaseUrl: string;
  replicaUrl: string;
  warehouseUrl: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A PostgreSQL primary and its replica: the shared test pair by default, or a drill's own (PgCluster). */
export interface DatabaseServers {
  DATABASE_URL: string;
  DATABASE_REPLICA_URLS: string;
}

function requiredEnv(name: keyof DatabaseServers): string {
  const value = process.env[name]?.split(',')[0];
  if (!value) throw new Error(`${name} is not set: run the tests through npm test (scripts/test.sh)`);
  return value;
}

/** The URL of a database of that name on the test primary (created by whoever uses it). */
export function primaryDatabaseUrl(name: string): string {
  return withDatabase(requiredEnv('DATABASE_URL'), name);
}

/** Drops the databases; they live on one server, the test primary unless the URLs name another. */
export async function dropDatabases(...urls: string[]): Promise<void> {
  const admin = new Client({ connectionString: urls.length > 0 ? withDatabase(urls[0], 'postgres') : primaryDatabaseUrl('postgres') });
  await admin.connect();
  try {
    for (const url of urls) await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Creates (when missing) and migrates an OMS and a warehouse database with the real db:migrate CLI. */
export async function migrateWithCli(databaseUrl: string, warehouseUrl: string): Promise<void> {
  const migration = await runProgram('migrate', { PATH: process.env.PATH, DATABASE_URL: databaseUrl, WAREHOUSE_URL: warehouseUrl });
  if (migration.code !== 0) throw new Error(`db:migrate failed: ${migration.stderr}`);
}

/**
 * Fresh OMS and warehouse databases with a unique name per run, migrated by the real db:migrate CLI,
 * on the test pair of the environment or on the servers given.
 */
export async function createTestDatabases(prefix: string, servers?: DatabaseServers): Promise<TestDatabases> {
  const suffix = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const primary = servers?.DATABASE_URL ?? requiredEnv('DATABASE_URL');
  const replica = servers?.DATABASE_REPLICA_URLS.split(',')[0] ?? requiredEnv('DATABASE_REPLICA_URLS');
  const databaseUrl = withDatabase(primary, `oms_${suffix}`);
  const warehouseUrl = withDatabase(primary, `wh_${suffix}`);
  await migrateWithCli(databaseUrl, warehouseUrl);
  return {
    databaseUrl,
    warehouseUrl,
    replicaUrl: withDatabase(replica, `oms_${suffix}`),
    drop: () => dropDatabases(databaseUrl, warehouseUrl),
  };
}

/** Runs `use` with a connection of its own to the database, closed afterwards. */
export async function withClient<T>(databaseUrl: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
