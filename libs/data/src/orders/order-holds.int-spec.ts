import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPostgresPool, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertProduct } from '../../../../test/support/fixture-rows';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';

const ROUNDS = 50;

/** The services of one process, over their own connection pool. */
const servicesOn = (pool: Pool) => dataServicesOn(pool);

/**
 * A hold races brokering of the same order, from two processes (each its own pool): whichever
 * commits first, the held order never keeps a reservation or an allocated item, and stock, ledger
 * and allocations agree.
 */
describe('OrderHoldsService racing brokering (real PostgreSQL)', () => {
  const name = `oms_holds_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof servicesOn>;
  let worker: ReturnType<typeof servicesOn>;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'holds-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'holds-int-spec')));
    [api, worker] = pools.map(servicesOn);
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  async function newOrder(productIds: string[]): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
       VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify({ line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', latitude: 40.69, longitude: -73.99 })],
    );
    await api.db.query(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
       SELECT $1, n, p.id, p.sku, 1, 1, 'CREATED', 'BROKERING' FROM unnest($2::uuid[]) WITH ORDINALITY AS l(product_id, n) JOIN product p ON p.id = l.product_id`,
      [id, productIds],
    );
    return id;
  }

  /** Held orders that keep a reservation or an allocated item, and stock that disagrees with its ledger or its allocations. */
  async function violations(): Promise<unknown[]> {
    return api.db.query(`
      SELECT 'held order with an allocated item' AS problem, o.id::text AS subject FROM sales_order o JOIN order_item i ON i.order_id = o.id
       WHERE o.status = 'HELD' AND i.status = 'ALLOCATED'
      UNION ALL
      SELECT 'held order with a reservation', l.order_id::text FROM inventory_ledger l JOIN sales_order o ON o.id = l.order_id
       WHERE o.status = 'HELD' GROUP BY l.order_id HAVING sum(l.reserved_delta) <> 0
      UNION ALL
      SELECT 'stock disagrees', i.facility_id || '/' || i.product_id FROM inventory_item i
        CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity), 0)::int AS quantity FROM order_item
                             WHERE status = 'ALLOCATED' AND facility_id = i.facility_id AND product_id = i.product_id) allocated
        CROSS JOIN LATERAL (SELECT COALESCE(sum(reserved_delta), 0)::int AS reserved FROM inventory_ledger
                             WHERE facility_id = i.facility_id AND product_id = i.product_id) ledger
       WHERE i.quantity_reserved <> allocated.quantity OR ledger.reserved <> i.quantity_reserved OR i.quantity_reserved > i.quantity_on_hand`);
  }

  it(`never leaves a reservation or an allocated item on a held order, over ${ROUNDS} rounds`, async () => {
    const [{ id: facilityId }] = await api.db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, 'WAREHOUSE', 40.7, -74.0) RETURNING id`,
      [`F-${randomUUID()}`],
    );
    const productIds: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const id = await insertProduct(api.db);
      productIds.push(id);
      await api.inventory.adjust({ facilityId, productId: id, delta: 1000, reason: 'received', actor: 'test' });
    }

    for (let round = 0; round < ROUNDS; round += 1) {
      const orderId = await newOrder(productIds);
      // Half the rounds hold an order brokering has already allocated, the others one not yet brokered.
      if (round % 2 === 1) await worker.brokering.brokerOrders([orderId]);
      const [held] = await Promise.all([
        api.holds.hold(orderId, { reason: 'HIGH_RISK_OF_FRAUD' }, 'test'),
        worker.brokering.brokerOrders([orderId], undefined, { waitForLocks: round % 4 < 2 }),
      ]);
      expect(held.status).toBe('HELD');
      expect(held.items.every((item) => item.status !== 'ALLOCATED')).toBe(true);
      expect(await violations()).toEqual([]);

      if (round % 5 === 0) {
        const released = await api.holds.release(orderId);
        expect(released.status).toBe('BROKERED');
        expect(await violations()).toEqual([]);
      }
    }
  });
});
