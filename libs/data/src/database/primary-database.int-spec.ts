import { randomBytes } from 'node:crypto';
import { createPostgresPool, errorCodes, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from './data-source.options';
import { PrimaryDatabase } from './primary-database';

describe('PrimaryDatabase (real PostgreSQL)', () => {
  const name = `oms_database_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  let db: PrimaryDatabase;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'database-int-spec'));
    // One connection, so that what it has prepared can be read back on it.
    db = new PrimaryDatabase(createPostgresPool({ ...postgresPoolConfig(url, 'database-int-spec'), max: 1 }));
  });

  afterAll(async () => {
    await db.onApplicationShutdown();
    await dropDatabases(primaryDatabaseUrl(name));
  });

  async function preparedOnConnection(sql: string): Promise<{ name: string }[]> {
    return db.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql]);
  }

  it('prepares a parameterised statement once per connection and runs it again by name', async () => {
    const sql = 'SELECT $1::int + 1 AS next';

    expect(await db.query(sql, [1])).toEqual([{ next: 2 }]);
    expect(await db.query(sql, [41])).toEqual([{ next: 42 }]);
    expect(await preparedOnConnection(sql)).toEqual([{ name: expect.stringMatching(/^oms_/) }]);
  });

  it('runs a transaction on one connection, prepared statements included: rolled back together', async () => {
    const sku = `SKU-${randomBytes(4).toString('hex')}`;
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO product (sku, name, price) VALUES ($1, $1, 1)`, [sku]);
        expect(await tx.query('SELECT sku FROM product WHERE sku = $1', [sku])).toEqual([{ sku }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    expect(await db.query('SELECT sku FROM product WHERE sku = $1', [sku])).toEqual([]);
  });

  it('commits a transaction whose work resolves, and returns what the work returned', async () => {
    const sku = `SKU-${randomBytes(4).toString('hex')}`;

    const inserted = await db.transaction(async (tx) =>
      tx.query<{ sku: string }>(`INSERT INTO product (sku, name, price) VALUES ($1, $1, 1) RETURNING sku`, [sku]),
    );

    expect(inserted).toEqual([{ sku }]);
    expect(await db.query('SELECT sku FROM product WHERE sku = $1', [sku])).toEqual([{ sku }]);
  });

  it('gives the connection back out of its transaction after a statement failed in it', async () => {
    const sku = `SKU-${randomBytes(4).toString('hex')}`;
    await db.query(`INSERT INTO product (sku, name, price) VALUES ($1, $1, 1)`, [sku]);

    const failed = await db
      .transaction((tx) => tx.query(`INSERT INTO product (sku, name, price) VALUES ($1, $1, 1)`, [sku]))
      .catch((error: unknown) => error);

    expect(errorCodes(failed)).toContain('23505');
    // The pool has one connection: this runs on the one the transaction used, which must not be left in an aborted transaction.
    expect(await db.query(`SELECT now() = statement_timestamp() AS outside_a_transaction`)).toEqual([{ outside_a_transaction: true }]);
  });

  it("keeps PostgreSQL's SQLSTATE on errors of prepared statements, for the callers that map them", async () => {
    const sku = `SKU-${randomBytes(4).toString('hex')}`;
    const insert = `INSERT INTO product (sku, name, price) VALUES ($1, $1, 1)`;
    await db.query(insert, [sku]);

    const duplicate = await db.query(insert, [sku]).catch((error: unknown) => error);

    expect(errorCodes(duplicate)).toContain('23505');
  });
});
