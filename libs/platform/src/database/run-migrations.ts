import { DataSource, DataSourceOptions } from 'typeorm';
import { ensureDatabaseExists } from './ensure-database';

const MIGRATION_LOCK_KEY = 7_300_001;

export interface MigrationReport {
  database: string;
  created: boolean;
  applied: string[];
}

/** Creates the database when missing and applies pending migrations, each in its own transaction. */
export async function migrateDatabase(options: DataSourceOptions & { url: string }): Promise<MigrationReport> {
  const created = await ensureDatabaseExists(options.url);
  const dataSource = new DataSource({ ...options, migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  // Two instances deploying at once must not both apply the same migration.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { database: new URL(options.url).pathname.slice(1), created, applied: applied.map((m) => m.name) };
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
