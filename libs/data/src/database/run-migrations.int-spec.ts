import { randomBytes } from 'node:crypto';
import { migrateDatabase } from '@app/platform';
import { primaryDataSourceOptions, OMS_MIGRATIONS } from './data-source.options';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';

describe('migrateDatabase (real PostgreSQL)', () => {
  const name = `oms_migrate_${randomBytes(4).toString('hex')}`;
  const options = primaryDataSourceOptions(primaryDatabaseUrl(name), 'migrate-int-spec');

  afterAll(() => dropDatabases(primaryDatabaseUrl(name)));

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
    const raceOptions = primaryDataSourceOptions(primaryDatabaseUrl(racing), 'migrate-int-spec');
    try {
      const reports = await Promise.all([migrateDatabase(raceOptions), migrateDatabase(raceOptions)]);
      expect(reports.filter((r) => r.created)).toHaveLength(1);
      expect(reports.flatMap((r) => r.applied)).toEqual(OMS_MIGRATIONS.map((m) => m.name));
    } finally {
      await dropDatabases(primaryDatabaseUrl(racing));
    }
  });
});
