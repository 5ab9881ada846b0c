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
/**
 * Empties the tables of orders, stock and facilities, and through CASCADE every table that refers
 * to them (items, ledger, picklists, shipments, returns, pickup handovers, ...): a spec's next case
 * starts from no data, whatever tables later migrations add. Routing configuration stays.
 */
export function truncateOrderData(db: { query(sql: string): Promise<unknown> }, ...alsoTables: string[]): Promise<unknown> {
  const tables = ['outbox_event', 'order_history', 'inventory_ledger', 'idempotency_record', 'sales_order', 'facility', 'product', ...alsoTables];
  return db.query(`TRUNCATE ${tables.join(', ')} CASCADE`);
}

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

/** Names the template databases of one test run: its start time (base 36 seconds), then a random part. */
export const TEMPLATE_RUN_VARIABLE = 'OMS_TEST_TEMPLATE_RUN';
const TEMPLATE_PREFIX = 'tpl_';
/** Template databases of runs older than this are dropped: no run lasts that long, so none is in use. */
const TEMPLATE_MAX_AGE_SECONDS = 6 * 3600;
/** One advisory lock per server orders template creation and the copies made from templates. */
const TEMPLATE_LOCK_KEY = 0x0e5_7e57;

export function newTemplateRun(): string {
  return `${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}`;
}

function templateNames(run: string): { oms: string; warehouse: string } {
  return { oms: `${TEMPLATE_PREFIX}oms_${run}`, warehouse: `${TEMPLATE_PREFIX}wh_${run}` };
}

/** Template databases of runs that started more than TEMPLATE_MAX_AGE_SECONDS ago. */
async function staleTemplates(admin: Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEMPLATE_PREFIX}%`]);
  const now = Date.now() / 1000;
  return rows
    .map((row) => row.datname)
    .filter((name) => {
      const started = parseInt(/^tpl_(?:oms|wh)_([0-9a-z]+)_/.exec(name)?.[1] ?? '0', 36);
      return now - started > TEMPLATE_MAX_AGE_SECONDS;
    });
}

/** Set on the warehouse template once db:migrate has succeeded on both: a half-made template is never copied. */
const MIGRATED = 'migrated by db:migrate';

/**
 * The run's template databases on the server of `admin` (a connection to its `postgres` database,
 * holding the template lock): created empty and migrated by the real db:migrate CLI the first time
 * a suite of the run asks on that server, so that migrations from an empty database are run once
 * per run; every suite then gets a copy.
 */
async function ensureTemplates(admin: Client, primary: string, run: string): Promise<{ oms: string; warehouse: string }> {
  const names = templateNames(run);
  const { rows } = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [names.warehouse],
  );
  if (rows[0]?.comment === MIGRATED) return names;
  for (const stale of await staleTemplates(admin)) await admin.query(`DROP DATABASE IF EXISTS "${stale}" WITH (FORCE)`);
  await migrateWithCli(withDatabase(primary, names.oms), withDatabase(primary, names.warehouse));
  await admin.query(`COMMENT ON DATABASE "${names.warehouse}" IS '${MIGRATED}'`);
  return names;
}

/** Drops this run's template databases on the test pair of the environment (jest's global teardown). */
export async function dropTemplates(run: string): Promise<void> {
  const { oms, warehouse } = templateNames(run);
  await dropDatabases(primaryDatabaseUrl(oms), primaryDatabaseUrl(warehouse));
}

/**
 * Fresh OMS and warehouse databases with a unique name per suite, on the test pair of the
 * environment or on the servers given: copies (CREATE DATABASE ... TEMPLATE, which the replica
 * replays) of the run's templates, which the real db:migrate CLI migrated.
 */
export async function createTestDatabases(prefix: string, servers?: DatabaseServers): Promise<TestDatabases> {
  const run = process.env[TEMPLATE_RUN_VARIABLE];
  if (!run) throw new Error(`${TEMPLATE_RUN_VARIABLE} is not set: jest's global setup (test/support/global-setup.ts) sets it`);
  const suffix = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const primary = servers?.DATABASE_URL ?? requiredEnv('DATABASE_URL');
  const replica = servers?.DATABASE_REPLICA_URLS.split(',')[0] ?? requiredEnv('DATABASE_REPLICA_URLS');
  const databaseUrl = withDatabase(primary, `oms_${suffix}`);
  const warehouseUrl = withDatabase(primary, `wh_${suffix}`);
  await withClient(withDatabase(primary, 'postgres'), async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const templates = await ensureTemplates(admin, primary, run);
      await admin.query(`CREATE DATABASE "${new URL(databaseUrl).pathname.slice(1)}" TEMPLATE "${templates.oms}"`);
      await admin.query(`CREATE DATABASE "${new URL(warehouseUrl).pathname.slice(1)}" TEMPLATE "${templates.warehouse}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
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
