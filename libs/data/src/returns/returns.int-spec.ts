import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertApprovedOrder, insertFacility, insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants, findViolations } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl, withClient } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';

const RACE_ROUNDS = 10;
/** The services are called directly: no worker relays the outbox. */
const SERVICES_ONLY = { withoutWorkers: true };

/**
 * Returns through ReturnsService on real PostgreSQL, from two "processes" (each its own pool): no
 * item ever comes back with more units than it shipped, even when two returns race for its last
 * unit, and receiving a return changes stock only when it restocks (with a ledger row).
 */
describe('ReturnsService (real PostgreSQL)', () => {
  const name = `oms_returns_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof dataServicesOn>;
  let other: ReturnType<typeof dataServicesOn>;
  let warehouse: string;
  let returnsDesk: string;
  let productId: string;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'returns-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'returns-int-spec')));
    [api, other] = pools.map((pool) => dataServicesOn(pool));
    [warehouse, returnsDesk] = await Promise.all([40.7, 41.0].map((latitude) => insertFacility(api.db, latitude)));
    productId = await insertProduct(api.db);
    await api.inventory.adjust({ facilityId: warehouse, productId, delta: 1000, reason: 'received', actor: 'test' });
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  /** An approved order of `quantity` units of the product, brokered (to the warehouse: the returns desk has no stock) and, unless told not to, shipped. */
  async function order(quantity: number, ship = true): Promise<{ orderId: string; itemId: string }> {
    const {
      orderId,
      itemIds: [itemId],
    } = await insertApprovedOrder(api.db, [[productId, quantity]]);
    await api.brokering.brokerOrders([orderId]);
    if (ship) await api.shipments.packAndShip(orderId, warehouse, {}, 'test');
    return { orderId, itemId };
  }

  const onHandAt = async (facilityId: string): Promise<number> => {
    const [row] = await api.db.query<{ onHand: number }>(
      'SELECT quantity_on_hand AS "onHand" FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
      [facilityId, productId],
    );
    return row?.onHand ?? 0;
  };

  it('returns shipped units up to the quantity shipped, over several returns, and refuses more naming the item', async () => {
    const { orderId, itemId } = await order(3);

    const first = await api.returns.request(orderId, { facilityId: warehouse, items: [{ itemId, quantity: 2, reason: 'DAMAGED' }] });

    expect(first).toMatchObject({ orderId, facilityId: warehouse, status: 'REQUESTED', restocked: null, receivedAt: null });
    expect(first.items).toEqual([{ itemId, productId, quantity: 2, reason: 'DAMAGED' }]);
    const over = api.returns.request(orderId, { facilityId: warehouse, items: [{ itemId, quantity: 2, reason: 'OTHER' }] });
    await expect(over).rejects.toThrow(ConflictError);
    await expect(over).rejects.toThrow(`order item ${itemId} has 3 units of which 2 are returned already`);
    await api.returns.request(orderId, { facilityId: warehouse, items: [{ itemId, quantity: 1, reason: 'CHANGED_MIND' }] });
    expect((await api.returns.listOfOrder(orderId)).map((returned) => returned.items[0].quantity)).toEqual([2, 1]);
    const events = await api.db.query(`SELECT 1 FROM outbox_event WHERE topic = 'order.return_requested' AND aggregate_id = $1`, [orderId]);
    expect(events).toHaveLength(2);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('refuses items not shipped yet (409), unknown orders, items and facilities (404) and an item named twice (400)', async () => {
    const { orderId, itemId } = await order(1, false);
    const request = (facilityId: string, items: { itemId: string; quantity: number }[], id = orderId) =>
      api.returns.request(id, { facilityId, items: items.map((item) => ({ ...item, reason: 'WRONG_ITEM' as const })) });

    await expect(request(warehouse, [{ itemId, quantity: 1 }])).rejects.toThrow(`order item ${itemId} is ALLOCATED`);
    await expect(request(warehouse, [{ itemId, quantity: 1 }], randomUUID())).rejects.toThrow(NotFoundError);
    await expect(request(warehouse, [{ itemId: randomUUID(), quantity: 1 }])).rejects.toThrow(NotFoundError);
    await expect(request(randomUUID(), [{ itemId, quantity: 1 }])).rejects.toThrow(NotFoundError);
    await expect(
      request(warehouse, [
        { itemId, quantity: 1 },
        { itemId, quantity: 1 },
      ]),
    ).rejects.toThrow(InvalidInputError);
    expect(await api.returns.listOfOrder(orderId)).toEqual([]);
  });

  it(`lets exactly one of two concurrent returns of an item's last unit win, over ${RACE_ROUNDS} rounds`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const { orderId, itemId } = await order(1);
      const results = await Promise.allSettled(
        [api, other].map((services) =>
          services.returns.request(orderId, { facilityId: warehouse, items: [{ itemId, quantity: 1, reason: 'TOO_LATE' }] }),
        ),
      );
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(ConflictError);
      expect(await api.returns.listOfOrder(orderId)).toHaveLength(1);
    }
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('restocks a received return at its facility with a ledger row, RETURN_RECEIVED history and an order.return_received event', async () => {
    const { orderId, itemId } = await order(2);
    const requested = await api.returns.request(orderId, { facilityId: returnsDesk, items: [{ itemId, quantity: 2, reason: 'NOT_AS_DESCRIBED' }] });
    const [deskBefore, warehouseBefore] = [await onHandAt(returnsDesk), await onHandAt(warehouse)];

    const received = await api.returns.receive(requested.id, true, 'test');

    expect(received).toMatchObject({ id: requested.id, status: 'RECEIVED', restocked: true });
    expect(received.receivedAt).toBeInstanceOf(Date);
    expect(await onHandAt(returnsDesk)).toBe(deskBefore + 2);
    expect(await onHandAt(warehouse)).toBe(warehouseBefore);
    const ledger = await api.db.query(
      `SELECT on_hand_delta AS "onHand", reserved_delta AS reserved, actor FROM inventory_ledger WHERE order_id = $1 AND reason = 'return restocked'`,
      [orderId],
    );
    expect(ledger).toEqual([{ onHand: 2, reserved: 0, actor: 'test' }]);
    const changed = await api.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox_event WHERE topic = 'inventory.changed' AND payload->>'reason' = 'return restocked' AND payload->>'orderId' = $1`,
      [orderId],
    );
    expect(changed.map((event) => event.payload)).toEqual([expect.objectContaining({ facilityId: returnsDesk, productId, onHandDelta: 2 })]);
    const history = (await api.orders.history(orderId)).filter((entry) => entry.type === 'RETURN_RECEIVED');
    expect(history).toEqual([expect.objectContaining({ itemId, facilityId: returnsDesk, reason: 'NOT_AS_DESCRIBED', returnId: requested.id })]);
    const events = await api.db.query<{ payload: unknown }>(
      `SELECT payload FROM outbox_event WHERE topic = 'order.return_received' AND aggregate_id = $1`,
      [orderId],
    );
    expect(events.map((event) => event.payload)).toEqual([{ orderId, returnId: requested.id, facilityId: returnsDesk, restocked: true }]);

    // The same receive again answers the return as it is, and changes nothing; the other restock is a conflict.
    expect(await other.returns.receive(requested.id, true, 'test')).toEqual(received);
    expect(await onHandAt(returnsDesk)).toBe(deskBefore + 2);
    await expect(api.returns.receive(requested.id, false, 'test')).rejects.toThrow(ConflictError);
    expect((await api.orders.history(orderId)).filter((entry) => entry.type === 'RETURN_RECEIVED')).toHaveLength(1);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('receives a return without restock: no stock changes and no ledger row, but history and the event', async () => {
    const { orderId, itemId } = await order(1);
    const requested = await api.returns.request(orderId, { facilityId: warehouse, items: [{ itemId, quantity: 1, reason: 'DAMAGED' }] });
    const before = await onHandAt(warehouse);
    const [{ count: ledgerBefore }] = await api.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inventory_ledger');

    const received = await api.returns.receive(requested.id, false, 'test');

    expect(received).toMatchObject({ status: 'RECEIVED', restocked: false });
    expect(await onHandAt(warehouse)).toBe(before);
    expect(await api.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inventory_ledger')).toEqual([{ count: ledgerBefore }]);
    expect((await api.orders.history(orderId)).filter((entry) => entry.type === 'RETURN_RECEIVED')).toHaveLength(1);
    await expect(api.returns.receive(randomUUID(), false, 'test')).rejects.toThrow(NotFoundError);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it("the invariant checker sees a return of more units than shipped, or of an item that has not left, written behind the service's back", async () => {
    const shipped = await order(1);
    const allocated = await order(1, false);
    const { id } = await api.returns.request(shipped.orderId, {
      facilityId: warehouse,
      items: [{ itemId: shipped.itemId, quantity: 1, reason: 'OTHER' }],
    });
    const broken = await withClient(url, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('UPDATE order_return_item SET quantity = 2 WHERE return_id = $1', [id]);
        await client.query(
          `WITH r AS (INSERT INTO order_return (order_id, facility_id) VALUES ($1, $2) RETURNING id)
           INSERT INTO order_return_item (return_id, item_id, quantity, reason) SELECT id, $3, 1, 'OTHER' FROM r`,
          [allocated.orderId, warehouse, allocated.itemId],
        );
        return await findViolations(client, SERVICES_ONLY);
      } finally {
        await client.query('ROLLBACK');
      }
    });
    expect(broken.map((violation) => [violation.invariant, violation.rows.map((row) => row.id).sort()])).toEqual([
      ['no over-return', [shipped.itemId, allocated.itemId].sort()],
    ]);
    await assertInvariants(url, SERVICES_ONLY);
  });
});
