import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { primaryDataSourceOptions, OMS_MIGRATIONS } from './data-source.options';
import { migrateDatabase } from './run-migrations';

const primary = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5434/oms';

function databaseUrl(name: string): string {
  const url = new URL(primary);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('migrateDatabase (real PostgreSQL)', () => {
  const name = `oms_migrate_${randomBytes(4).toString('hex')}`;
  const options = primaryDataSourceOptions(databaseUrl(name), 'migrate-int-spec');

  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it('creates a missing database and applies every migration from empty', async () => {
    const report = await migrateDatabase(options);
    expect(report).toEqual({ database: name, created: true, applied: OMS_MIGRATIONS.map((m) => m.name) });
  });

  it('is safe to run again, also several times at once', async () => {
    const reports = await Promise.all([migrateDatabase(options), migrateDatabase(options), migrateDatabase(options)]);
    for (const report of reports) expect(report).toEqual({ database: name, created: false, applied: [] });
  });

  it('creates the database once when runs race from nothing', async () => {
    const racing = `${name}_race`;
    const raceOptions = primaryDataSourceOptions(databaseUrl(racing), 'migrate-int-spec');
    try {
      const reports = await Promise.all([migrateDatabase(raceOptions), migrateDatabase(raceOptions)]);
      expect(reports.filter((r) => r.created)).toHaveLength(1);
      expect(reports.flatMap((r) => r.applied)).toEqual(OMS_MIGRATIONS.map((m) => m.name));
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS "${racing}" WITH (FORCE)`);
    }
  });
});
