import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { OMS_MIGRATIONS, primaryDataSourceOptions } from '../database/data-source.options';
import { OrderFields1764000001300 } from './1764000001300-order-fields.migration';

/**
 * Orders taken before APPROVED existed are brokered once the migration has run: brokering takes
 * approved orders only, so the migration approves the ones still CREATED, and puts every item
 * waiting in the queue it waits in.
 */
describe('migration 1764000001300 (order fields, APPROVED) on existing orders', () => {
  const name = `oms_order_fields_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  let client: Client;

  afterAll(async () => {
    await client?.end();
    await dropDatabases(url);
  });

  it('approves the orders still CREATED (with an APPROVED history entry) and queues waiting items as BROKERING or BACKORDER', async () => {
    const before = OMS_MIGRATIONS.slice(0, OMS_MIGRATIONS.indexOf(OrderFields1764000001300));
    await migrateDatabase({ ...primaryDataSourceOptions(url, 'order-fields-int-spec'), migrations: before });
    client = new Client({ connectionString: url });
    await client.connect();
    const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
    const [{ facilityId }] = await query<{ facilityId: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ('F', 'F', 'WAREHOUSE', 40, -74) RETURNING id AS "facilityId"`,
    );
    const [{ productId }] = await query<{ productId: string }>(
      `INSERT INTO product (sku, name, price) VALUES ('SKU', 'P', 1) RETURNING id AS "productId"`,
    );
    const order = async (status: string, ...items: string[]) => {
      const [{ id }] = await query<{ id: string }>(
        `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
         VALUES ($1, 'ada@example.com', '{}', 0, 'test') RETURNING id`,
        [status],
      );
      await query(
        `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, facility_id)
         SELECT $1, n, $2, 'SKU', 1, 1, s, CASE WHEN s = 'ALLOCATED' THEN $3::uuid END FROM unnest($4::text[]) WITH ORDINALITY AS i(s, n)`,
        [id, productId, facilityId, items],
      );
      return id;
    };
    const created = await order('CREATED', 'CREATED', 'CREATED');
    const partly = await order('PARTIALLY_BROKERED', 'ALLOCATED', 'BACKORDERED');

    await migrateDatabase(primaryDataSourceOptions(url, 'order-fields-int-spec'));

    const orderOf = async (id: string) =>
      (
        await query<{ status: string; history: string[] }>(
          `SELECT status, ARRAY(SELECT type FROM order_history WHERE order_id = $1 ORDER BY id) AS history FROM sales_order WHERE id = $1`,
          [id],
        )
      )[0];
    const itemsOf = (id: string) => query('SELECT status, queue FROM order_item WHERE order_id = $1 ORDER BY line_number', [id]);
    expect(await orderOf(created)).toEqual({ status: 'APPROVED', history: ['APPROVED'] });
    expect(await orderOf(partly)).toEqual({ status: 'PARTIALLY_BROKERED', history: [] });
    expect(await itemsOf(created)).toEqual([
      { status: 'CREATED', queue: 'BROKERING' },
      { status: 'CREATED', queue: 'BROKERING' },
    ]);
    expect(await itemsOf(partly)).toEqual([
      { status: 'ALLOCATED', queue: null },
      { status: 'BACKORDERED', queue: 'BACKORDER' },
    ]);
  });
});
