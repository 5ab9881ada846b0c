import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrateDatabase } from '@app/platform';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';

/**
 * The schema is owned by the migrations; the entities describe it. Every table an entity maps
 * must have exactly the entity's columns, with the same types and nullability, so that a
 * migration and an entity cannot drift apart unnoticed.
 */
describe('entities match the migrated schema', () => {
  const name = `oms_entities_${randomBytes(4).toString('hex')}`;
  const options = primaryDataSourceOptions(primaryDatabaseUrl(name), 'entities-int-spec');
  let dataSource: DataSource;

  beforeAll(async () => {
    await migrateDatabase(options);
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabases(primaryDatabaseUrl(name));
  });

  it('maps every column of every entity table, with its type and nullability', async () => {
    const columns = await dataSource.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: 'YES' | 'NO' }[]>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const normalise = (type: string) =>
      ({ int: 'int4', integer: 'int4', bigint: 'int8', timestamptz: 'timestamptz', char: 'bpchar', boolean: 'bool', numeric: 'numeric' })[type] ??
      type;

    for (const entity of dataSource.entityMetadatas) {
      const inDatabase = columns.filter((c) => c.table_name === entity.tableName);
      expect(inDatabase.length).toBeGreaterThan(0);
      const described = entity.columns.map((c) => ({
        column: c.databaseName,
        type: normalise(String(c.type)),
        nullable: c.isNullable,
      }));
      const actual = inDatabase.map((c) => ({ column: c.column_name, type: c.udt_name, nullable: c.is_nullable === 'YES' }));
      const byName = (a: { column: string }, b: { column: string }) => a.column.localeCompare(b.column);
      expect({ table: entity.tableName, columns: described.sort(byName) }).toEqual({ table: entity.tableName, columns: actual.sort(byName) });
    }
  });
});
