import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertCreatedItems, insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';

const BROOKLYN = { latitude: 40.69, longitude: -73.99 };
const NEWARK = { latitude: 40.73, longitude: -74.17 };
const CHICAGO = { latitude: 41.88, longitude: -87.63 };

/** Store pickup over the services (routing to the store, ready, handover, not collected), on a real PostgreSQL. */
describe('PickupService and pickup routing (real PostgreSQL)', () => {
  const name = `oms_pickup_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  /** Two processes, each its own pool: the not-collected schedule runs in both at once. */
  let services: ReturnType<typeof dataServicesOn>;
  let other: ReturnType<typeof dataServicesOn>;
  let db: PrimaryDatabase;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'pickup-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'pickup-int-spec')));
    [services, other] = pools.map((pool) => dataServicesOn(pool));
    db = services.db;
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  async function facility(at: { latitude: number; longitude: number }, type: 'STORE' | 'WAREHOUSE', canShip = true): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude, can_pickup, can_ship) VALUES ($1, $1, $2, $3, $4, $5, $6) RETURNING id`,
      [`F-${randomUUID()}`, type, at.latitude, at.longitude, type === 'STORE', canShip],
    );
    return id;
  }

  const product = () => insertProduct(db);

  async function receive(facilityId: string, productId: string, quantity: number): Promise<void> {
    await services.inventory.adjust({ facilityId, productId, delta: quantity, reason: 'received', actor: 'test' });
  }

  /** A new approved order shipped to Brooklyn, collected at `pickupAt` (null: shipped). */
  async function order(pickupAt: string | null, ...lines: [productId: string, quantity: number][]): Promise<{ id: string; itemIds: string[] }> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, shipping_method, pickup_facility_id)
       VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test', $2, $3) RETURNING id`,
      [
        JSON.stringify({ line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', ...BROOKLYN }),
        pickupAt === null ? 'STANDARD' : 'PICKUP',
        pickupAt,
      ],
    );
    const itemIds = await insertCreatedItems(db, id, lines);
    return { id, itemIds };
  }

  const itemsOf = (orderId: string) =>
    db.query<{ status: string; facilityId: string | null; queue: string | null }>(
      'SELECT status, facility_id AS "facilityId", queue FROM order_item WHERE order_id = $1 ORDER BY line_number',
      [orderId],
    );
  const stockOf = async (facilityId: string, productId: string) =>
    (
      await db.query<{ onHand: number; reserved: number }>(
        'SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
        [facilityId, productId],
      )
    )[0];
  const eventCount = async (topic: string, orderId: string) =>
    Number(
      (await db.query<{ count: string }>('SELECT count(*) FROM outbox_event WHERE topic = $1 AND aggregate_id = $2', [topic, orderId]))[0].count,
    );
  /** Moves the time the order's items became ready `days` into the past. */
  const readySince = (orderId: string, days: number) =>
    db.query(`UPDATE order_history SET at = now() - make_interval(days => $2) WHERE order_id = $1 AND type = 'READY_FOR_PICKUP'`, [orderId, days]);

  it('routes a pickup order whole to its store only; what the store cannot take waits in REJECTED until stock arrives there', async () => {
    const nearWarehouse = await facility(NEWARK, 'WAREHOUSE');
    const store = await facility(CHICAGO, 'STORE');
    const [shirt, cap] = [await product(), await product()];
    for (const productId of [shirt, cap]) await receive(nearWarehouse, productId, 10);
    await receive(store, shirt, 10);
    await receive(store, cap, 1);

    const taken = await order(store, [shirt, 1], [cap, 1]);
    const waits = await order(store, [shirt, 1], [cap, 1]);
    const shipped = await order(null, [shirt, 1], [cap, 1]);
    await services.brokering.brokerOrders([taken.id, waits.id, shipped.id]);

    expect(await itemsOf(taken.id)).toEqual([
      { status: 'ALLOCATED', facilityId: store, queue: null },
      { status: 'ALLOCATED', facilityId: store, queue: null },
    ]);
    // The store has no cap left: the whole order waits, although the nearer warehouse has both products.
    expect(await itemsOf(waits.id)).toEqual([
      { status: 'BACKORDERED', facilityId: null, queue: 'REJECTED' },
      { status: 'BACKORDERED', facilityId: null, queue: 'REJECTED' },
    ]);
    expect((await services.orders.get(waits.id)).status).toBe('BACKORDERED');
    expect((await itemsOf(shipped.id)).map((item) => item.facilityId)).toEqual([nearWarehouse, nearWarehouse]);
    expect(await stockOf(store, shirt)).toEqual({ onHand: 10, reserved: 1 });

    // Stock elsewhere changes nothing; stock at the store routes it there.
    await receive(nearWarehouse, cap, 5);
    expect(await services.brokering.rebrokerProducts([cap], 10)).toEqual({ brokered: [], skipped: [waits.id] });
    await receive(store, cap, 1);
    expect((await services.brokering.rebrokerProducts([cap], 10)).brokered).toEqual([waits.id]);
    expect(await itemsOf(waits.id)).toEqual([
      { status: 'ALLOCATED', facilityId: store, queue: null },
      { status: 'ALLOCATED', facilityId: store, queue: null },
    ]);

    const simulatedOrder = await order(store, [shirt, 1]);
    const simulated = await services.simulator.simulate({ orderId: simulatedOrder.id });
    expect(simulated.allocations.map((allocation) => allocation.facilityId)).toEqual([store]);
    expect(simulated.trace[0].candidates).toEqual(
      expect.arrayContaining([expect.objectContaining({ facilityId: nearWarehouse, kept: false, reason: 'NOT_PICKUP_FACILITY' })]),
    );
    await services.brokering.brokerOrders([simulatedOrder.id]);
    expect((await itemsOf(simulatedOrder.id))[0].facilityId).toBe(store);
    await assertInvariants(url, { withoutWorkers: true });
  });

  it('routes pickup orders to a store that hands over but does not ship, and never ships from it', async () => {
    const counter = await facility(BROOKLYN, 'STORE', false);
    const shirt = await product();
    await receive(counter, shirt, 5);
    const pickup = await order(counter, [shirt, 1]);
    const shipped = await order(null, [shirt, 1]);
    await services.brokering.brokerOrders([pickup.id, shipped.id]);
    expect(await itemsOf(pickup.id)).toEqual([{ status: 'ALLOCATED', facilityId: counter, queue: null }]);
    expect(await itemsOf(shipped.id)).toEqual([{ status: 'BACKORDERED', facilityId: null, queue: 'BACKORDER' }]);
    await assertInvariants(url, { withoutWorkers: true });
  });

  it('ready, then handover with proof: the order completes, stock on hand and reserved drop with ledger rows', async () => {
    const store = await facility(BROOKLYN, 'STORE');
    const [shirt, cap] = [await product(), await product()];
    await receive(store, shirt, 5);
    await receive(store, cap, 5);
    const { id, itemIds } = await order(store, [shirt, 2], [cap, 1]);
    await services.brokering.brokerOrders([id]);

    await expect(services.pickup.handover(id, { name: 'Ada' }, 'clerk')).rejects.toThrow(/no item ready for pickup \(items: ALLOCATED\)/);
    const ready = await services.pickup.readyForPickup(id, store);
    expect(ready.items.map((item) => item.status)).toEqual(['READY_FOR_PICKUP', 'READY_FOR_PICKUP']);
    expect(ready.status).toBe('BROKERED');
    expect(await eventCount('order.ready_for_pickup', id)).toBe(1);
    await expect(services.pickup.readyForPickup(id, store)).rejects.toThrow(/items: READY_FOR_PICKUP/);
    // A held order releases its stock: one with items ready cannot be held.
    await expect(services.holds.hold(id, { reason: 'OTHER' }, 'cs')).rejects.toBeInstanceOf(ConflictError);

    const handed = await services.pickup.handover(id, { name: 'Ada Lovelace', idType: 'PASSPORT', idNumber: 'X123' }, 'clerk');
    expect(handed.status).toBe('COMPLETED');
    expect(handed.items.map((item) => item.status)).toEqual(['HANDED_OVER', 'HANDED_OVER']);
    expect(await stockOf(store, shirt)).toEqual({ onHand: 3, reserved: 0 });
    expect(await stockOf(store, cap)).toEqual({ onHand: 4, reserved: 0 });
    const ledger = await db.query(
      `SELECT product_id AS "productId", on_hand_delta AS "onHand", reserved_delta AS reserved FROM inventory_ledger
        WHERE order_id = $1 AND reason = 'handed over' ORDER BY on_hand_delta`,
      [id],
    );
    expect(ledger).toEqual([
      { productId: shirt, onHand: -2, reserved: -2 },
      { productId: cap, onHand: -1, reserved: -1 },
    ]);
    const history = await services.orders.history(id);
    expect(history.filter((entry) => entry.type === 'READY_FOR_PICKUP')).toHaveLength(2);
    const handovers = history.filter((entry) => entry.type === 'HANDED_OVER');
    expect(handovers.map((entry) => entry.itemId).sort()).toEqual([...itemIds].sort());
    expect(handovers.map((entry) => entry.note)).toEqual(itemIds.map(() => 'collected by Ada Lovelace (PASSPORT X123)'));
    const [proof] = await db.query('SELECT proof_name AS name, proof_id_type AS "idType", actor FROM pickup_handover WHERE order_id = $1', [id]);
    expect(proof).toEqual({ name: 'Ada Lovelace', idType: 'PASSPORT', actor: 'clerk' });
    expect(await eventCount('order.handed_over', id)).toBe(1);
    await expect(services.pickup.handover(id, { name: 'Ada' }, 'clerk')).rejects.toThrow(/items: HANDED_OVER/);
    await assertInvariants(url, { withoutWorkers: true });
  });

  it('refuses what does not fit with a conflict or not found, naming why', async () => {
    const store = await facility(BROOKLYN, 'STORE');
    const otherStore = await facility(NEWARK, 'STORE');
    const shirt = await product();
    await receive(store, shirt, 5);
    const shipped = await order(null, [shirt, 1]);
    const pickup = await order(store, [shirt, 1]);
    await services.brokering.brokerOrders([shipped.id, pickup.id]);

    await expect(services.pickup.readyForPickup(shipped.id, store)).rejects.toThrow('is not a pickup order (shippingMethod STANDARD)');
    await expect(services.pickup.handover(shipped.id, { name: 'Ada' }, 'clerk')).rejects.toBeInstanceOf(ConflictError);
    await expect(services.pickup.readyForPickup(pickup.id, otherStore)).rejects.toThrow(`is collected at facility ${store}, not ${otherStore}`);
    await expect(services.pickup.readyForPickup(pickup.id, randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.pickup.readyForPickup(randomUUID(), store)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.pickup.handover(randomUUID(), { name: 'Ada' }, 'clerk')).rejects.toBeInstanceOf(NotFoundError);
    // Outside the caller's facilities, the store is not found.
    const scoped = { permissions: null, channels: null, facilities: [otherStore] };
    await expect(services.pickup.readyForPickup(pickup.id, store, scoped)).rejects.toBeInstanceOf(NotFoundError);
    expect((await itemsOf(pickup.id))[0].status).toBe('ALLOCATED');
  });

  it('cancels orders not collected within PICKUP_EXPIRY_DAYS once, from two processes at once, and releases their stock', async () => {
    const store = await facility(BROOKLYN, 'STORE');
    const shirt = await product();
    await receive(store, shirt, 10);
    const expired = await order(store, [shirt, 2]);
    const recent = await order(store, [shirt, 3]);
    await services.brokering.brokerOrders([expired.id, recent.id]);
    for (const { id } of [expired, recent]) await services.pickup.readyForPickup(id, store);
    await readySince(expired.id, 8);
    await readySince(recent.id, 6);

    const counts = await Promise.all([services.pickup.cancelNotCollected(), other.pickup.cancelNotCollected()]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await services.pickup.cancelNotCollected()).toBe(0);

    expect((await services.orders.get(expired.id)).status).toBe('CANCELLED');
    expect((await services.orders.get(recent.id)).items[0].status).toBe('READY_FOR_PICKUP');
    expect(await stockOf(store, shirt)).toEqual({ onHand: 10, reserved: 3 });
    const cancelled = (await services.orders.history(expired.id)).filter((entry) => entry.type === 'CANCELLED');
    expect(cancelled.map((entry) => [entry.itemId ?? null, entry.reason ?? null])).toEqual([
      [expired.itemIds[0], 'not collected'],
      [null, null],
    ]);
    expect(await eventCount('order.cancelled', expired.id)).toBe(1);
    const [release] = await db.query(`SELECT reserved_delta AS reserved, reason FROM inventory_ledger WHERE order_id = $1 AND reserved_delta < 0`, [
      expired.id,
    ]);
    expect(release).toEqual({ reserved: -2, reason: 'not collected' });
    await assertInvariants(url, { withoutWorkers: true });
  });
});
