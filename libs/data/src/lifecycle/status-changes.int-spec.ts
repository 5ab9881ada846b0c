import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ConflictError, migrateDatabase, NotFoundError } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import type { Queryable } from '../read-routing/queryable';
import { StatusChangesRepository } from './status-changes.repository';

/** Every status write goes through the repository, which the database holds to the transitions table. */
describe('StatusChangesRepository (real PostgreSQL)', () => {
  const name = `oms_status_changes_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const statuses = new StatusChangesRepository();
  let client: Client;
  let tx: Queryable;
  let facilityId: string;
  let productId: string;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'status-changes-int-spec'));
    client = new Client({ connectionString: url });
    await client.connect();
    tx = { query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[] };
    [{ id: facilityId }] = await tx.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ('F', 'F', 'WAREHOUSE', 40, -74) RETURNING id`,
    );
    [{ id: productId }] = await tx.query<{ id: string }>(`INSERT INTO product (sku, name, price) VALUES ('SKU', 'P', 1) RETURNING id`);
  });

  afterAll(async () => {
    await client?.end();
    await dropDatabases(url);
  });

  /** An order in `status` with one item per item status (facility set where the schema requires one, waiting items in their queue). */
  async function order(status: string, ...itemStatuses: string[]): Promise<{ id: string; itemIds: string[] }> {
    const [{ id }] = await tx.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
       VALUES ($1, 'ada@example.com', '{}', 0, 'test') RETURNING id`,
      [status],
    );
    const items = await tx.query<{ id: string }>(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, facility_id, queue)
       SELECT $1, n, $2, 'SKU', 1, 1, s, CASE WHEN s IN ('ALLOCATED', 'SHIPPED') THEN $3::uuid END,
              CASE s WHEN 'CREATED' THEN 'BROKERING' WHEN 'BACKORDERED' THEN 'BACKORDER' END
         FROM unnest($4::text[]) WITH ORDINALITY AS i(s, n) ORDER BY n RETURNING id`,
      [id, productId, facilityId, itemStatuses],
    );
    return { id, itemIds: items.map((item) => item.id) };
  }

  const orderRow = async (id: string) =>
    (await tx.query<{ status: string; updatedAt: Date }>('SELECT status, updated_at AS "updatedAt" FROM sales_order WHERE id = $1', [id]))[0];
  const itemRows = (orderId: string) =>
    tx.query<{ status: string; facilityId: string | null }>(
      'SELECT status, facility_id AS "facilityId" FROM order_item WHERE order_id = $1 ORDER BY line_number',
      [orderId],
    );

  /** Runs `work` in a transaction that is rolled back when it throws, as PrimaryDatabase.transaction does. */
  async function inTransaction(work: () => Promise<void>): Promise<void> {
    await client.query('BEGIN');
    try {
      await work();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /** Runs `write` in a transaction and expects it refused with that error, the transaction rolled back. */
  async function expectRefused(write: () => Promise<void>, type: typeof ConflictError | typeof NotFoundError, message: string): Promise<void> {
    const error = await inTransaction(write).then(
      () => new Error('the write was not refused'),
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
  }

  it('applies allowed moves, set-based, placing allocated items at their facility and stamping updated_at', async () => {
    const first = await order('APPROVED', 'CREATED', 'CREATED');
    const second = await order('APPROVED', 'CREATED');
    const before = await orderRow(first.id);
    await statuses.moveItems(tx, [
      { itemId: first.itemIds[0], status: 'ALLOCATED', facilityId },
      { itemId: first.itemIds[1], status: 'BACKORDERED', facilityId: null },
      { itemId: second.itemIds[0], status: 'ALLOCATED', facilityId },
    ]);
    await statuses.moveOrders(tx, [
      { orderId: first.id, status: 'PARTIALLY_BROKERED' },
      { orderId: second.id, status: 'BROKERED' },
    ]);
    expect(await itemRows(first.id)).toEqual([
      { status: 'ALLOCATED', facilityId },
      { status: 'BACKORDERED', facilityId: null },
    ]);
    expect((await orderRow(second.id)).status).toBe('BROKERED');
    const after = await orderRow(first.id);
    expect(after.status).toBe('PARTIALLY_BROKERED');
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());

    await statuses.moveItems(tx, [{ itemId: second.itemIds[0], status: 'PACKED' }]);
    await statuses.moveItems(tx, [{ itemId: second.itemIds[0], status: 'SHIPPED' }]);
    expect(await itemRows(second.id)).toEqual([{ status: 'SHIPPED', facilityId }]);
  });

  it("keeps each item's queue in step: the one a change names, else BACKORDER when backordered and none once allocated", async () => {
    const autoCancelAt = new Date('2030-01-02T03:04:05.000Z');
    const waiting = await order('APPROVED', 'CREATED', 'CREATED', 'CREATED', 'CREATED');
    const [allocated, backordered, unfillable, cancelled] = waiting.itemIds;
    const queues = async () =>
      (
        await tx.query<{ queue: string | null; autoCancelAt: Date | null }>(
          'SELECT queue, auto_cancel_at AS "autoCancelAt" FROM order_item WHERE order_id = $1 ORDER BY line_number',
          [waiting.id],
        )
      ).map(({ queue, autoCancelAt: at }) => [queue, at?.toISOString() ?? null]);
    expect(await queues()).toEqual(Array(4).fill(['BROKERING', null]));

    await statuses.moveItems(tx, [
      { itemId: allocated, status: 'ALLOCATED', facilityId },
      { itemId: backordered, status: 'BACKORDERED' },
      { itemId: unfillable, status: 'BACKORDERED', queue: 'UNFILLABLE', autoCancelAt },
      { itemId: cancelled, status: 'CANCELLED' },
    ]);
    expect(await queues()).toEqual([
      [null, null],
      ['BACKORDER', null],
      ['UNFILLABLE', autoCancelAt.toISOString()],
      [null, null],
    ]);

    await statuses.moveItems(tx, [{ itemId: unfillable, status: 'ALLOCATED', facilityId }]);
    expect((await queues())[2]).toEqual([null, null]);
    await expect(statuses.moveItems(tx, [{ itemId: allocated, status: 'PACKED', queue: 'BACKORDER' }])).rejects.toMatchObject({
      constraint: 'order_item_queue_only_unallocated',
    });
  });

  it("ships the items of one call at one time (one shipment), each entry at the item's facility; a later call ships at a later time", async () => {
    const shipped = await order('BROKERED', 'ALLOCATED', 'ALLOCATED', 'ALLOCATED');
    const [first, second, later] = shipped.itemIds;
    await statuses.moveItems(tx, [
      { itemId: first, status: 'PACKED' },
      { itemId: second, status: 'PACKED' },
    ]);
    await statuses.moveItems(tx, [
      { itemId: first, status: 'SHIPPED' },
      { itemId: second, status: 'SHIPPED' },
    ]);
    await statuses.moveItems(tx, [{ itemId: later, status: 'PACKED' }]);
    await statuses.moveItems(tx, [{ itemId: later, status: 'SHIPPED' }]);
    const entries = await tx.query<{ facilityId: string; at: Date }>(
      `SELECT facility_id AS "facilityId", at FROM order_history WHERE order_id = $1 AND type = 'SHIPPED' ORDER BY id`,
      [shipped.id],
    );
    expect(entries.map((entry) => entry.facilityId)).toEqual([facilityId, facilityId, facilityId]);
    expect(entries[1].at).toEqual(entries[0].at);
    expect(entries[2].at.getTime()).toBeGreaterThan(entries[0].at.getTime());
  });

  it('approving an order writes its APPROVED history entry', async () => {
    const created = await order('CREATED', 'CREATED');
    await statuses.moveOrders(tx, [{ orderId: created.id, status: 'APPROVED' }]);
    expect((await orderRow(created.id)).status).toBe('APPROVED');
    expect(await tx.query('SELECT type, item_id AS "itemId" FROM order_history WHERE order_id = $1 ORDER BY id', [created.id])).toEqual([
      { type: 'APPROVED', itemId: null },
    ]);
  });

  it('refuses a forbidden move with a conflict naming the current status, and writes nothing', async () => {
    const shipped = await order('COMPLETED', 'SHIPPED');
    await expectRefused(
      () => statuses.moveItems(tx, [{ itemId: shipped.itemIds[0], status: 'CANCELLED' }]),
      ConflictError,
      `order item ${shipped.itemIds[0]} is SHIPPED and cannot become CANCELLED`,
    );
    await expectRefused(
      () => statuses.moveOrders(tx, [{ orderId: shipped.id, status: 'CANCELLED' }]),
      ConflictError,
      `order ${shipped.id} is COMPLETED and cannot become CANCELLED`,
    );
    const fresh = await order('CREATED', 'CREATED');
    await expectRefused(
      () => statuses.moveItems(tx, [{ itemId: fresh.itemIds[0], status: 'SHIPPED' }]),
      ConflictError,
      `order item ${fresh.itemIds[0]} is CREATED and cannot become SHIPPED`,
    );
    await expectRefused(
      () => statuses.moveOrders(tx, [{ orderId: fresh.id, status: 'BROKERED' }]),
      ConflictError,
      `order ${fresh.id} is CREATED and cannot become BROKERED`,
    );
    expect((await orderRow(shipped.id)).status).toBe('COMPLETED');
    expect(await itemRows(shipped.id)).toEqual([{ status: 'SHIPPED', facilityId }]);
  });

  it('refuses a set-based write with one forbidden move among allowed ones; its transaction rolls back every move', async () => {
    const open = await order('BROKERED', 'ALLOCATED');
    const done = await order('CANCELLED', 'CANCELLED');
    const write = () =>
      statuses.moveOrders(tx, [
        { orderId: open.id, status: 'COMPLETED' },
        { orderId: done.id, status: 'BROKERED' },
      ]);
    await expectRefused(write, ConflictError, `order ${done.id} is CANCELLED and cannot become BROKERED`);
    expect((await orderRow(open.id)).status).toBe('BROKERED');
    expect((await orderRow(done.id)).status).toBe('CANCELLED');
  });

  it('answers an unknown order or item with not found', async () => {
    const unknown = randomUUID();
    await expectRefused(() => statuses.moveOrders(tx, [{ orderId: unknown, status: 'CANCELLED' }]), NotFoundError, `order ${unknown} not found`);
    await expectRefused(() => statuses.moveItems(tx, [{ itemId: unknown, status: 'CANCELLED' }]), NotFoundError, `order item ${unknown} not found`);
  });
});
