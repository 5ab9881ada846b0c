import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertCreatedItems, insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';

const RACE_ROUNDS = 50;
const BROOKLYN = { latitude: 40.69, longitude: -73.99 };
const NEWARK = { latitude: 40.73, longitude: -74.17 };
const CHICAGO = { latitude: 41.88, longitude: -87.63 };

type Point = typeof BROOKLYN;

/**
 * Picklists and shipments over real PostgreSQL, from two "processes" (each its own pool) where
 * they race: pickers never share an item, a cancel and a pack of the same items never both win,
 * and stock, ledger, reservations and statuses agree afterwards (the invariants of
 * test/support/invariants.ts).
 */
describe('picklists and shipments (real PostgreSQL)', () => {
  const name = `oms_fulfilment_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof dataServicesOn>;
  let worker: ReturnType<typeof dataServicesOn>;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'fulfilment-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'fulfilment-int-spec')));
    [api, worker] = pools.map((pool) => dataServicesOn(pool));
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  async function facility(at: Point): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, 'WAREHOUSE', $2, $3) RETURNING id`,
      [`F-${randomUUID()}`, at.latitude, at.longitude],
    );
    return id;
  }

  const product = () => insertProduct(api.db);

  async function receive(facilityId: string, productId: string, quantity: number): Promise<void> {
    await api.inventory.adjust({ facilityId, productId, delta: quantity, reason: 'received', actor: 'test' });
  }

  /** A new order (as OrdersService.create leaves it), brokered: its items allocated where the stock is. */
  async function brokeredOrder(...lines: [productId: string, quantity: number][]): Promise<{ id: string; itemIds: string[] }> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
       VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify({ line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', ...BROOKLYN })],
    );
    const itemIds = await insertCreatedItems(api.db, id, lines);
    await api.brokering.brokerOrders([id]);
    return { id, itemIds };
  }

  const orderStatus = async (id: string) => (await api.db.query<{ status: string }>('SELECT status FROM sales_order WHERE id = $1', [id]))[0].status;
  const itemsOf = (orderId: string) =>
    api.db.query<{ id: string; status: string; facilityId: string | null }>(
      'SELECT id, status, facility_id AS "facilityId" FROM order_item WHERE order_id = $1 ORDER BY line_number',
      [orderId],
    );
  const stockOf = async (facilityId: string, productId: string) =>
    (
      await api.db.query<{ onHand: number; reserved: number }>(
        'SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
        [facilityId, productId],
      )
    )[0];

  /** Every invariant holds; no relay runs here, so the outbox counts as relayed. */
  async function expectInvariants(): Promise<void> {
    await api.db.query('UPDATE outbox_event SET published_at = now() WHERE published_at IS NULL');
    await assertInvariants(url);
  }

  const rejection = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('gives two pickers at one facility disjoint picklists that together hold all of its 100 allocated items, oldest order first', async () => {
    const store = await facility(BROOKLYN);
    const tee = await product();
    await receive(store, tee, 100);
    const orders: string[] = [];
    for (let n = 0; n < 100; n += 1) {
      const [{ id }] = await api.db.query<{ id: string }>(
        `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, created_at)
         VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test', now() - make_interval(secs => 100 - $2::int)) RETURNING id`,
        [JSON.stringify({ line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', ...BROOKLYN }), n],
      );
      await api.db.query(
        `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
         SELECT $1, 1, id, sku, 1, 1, 'CREATED', 'BROKERING' FROM product WHERE id = $2`,
        [id, tee],
      );
      orders.push(id);
    }
    await api.brokering.brokerOrders(orders);

    const [first, second] = await Promise.all([
      api.picklists.create({ facilityId: store, limit: 50 }, 'picker-1'),
      worker.picklists.create({ facilityId: store, limit: 50 }, 'picker-2'),
    ]);
    const picked = [...first.items, ...second.items].map((item) => item.itemId);
    expect(first.items).toHaveLength(50);
    expect(second.items).toHaveLength(50);
    expect(new Set(picked).size).toBe(100);
    const allItems = await api.db.query<{ id: string; status: string }>('SELECT id, status FROM order_item WHERE order_id = ANY($1::uuid[])', [
      orders,
    ]);
    expect(new Set(picked)).toEqual(new Set(allItems.map((item) => item.id)));
    expect(allItems.every((item) => item.status === 'PICKING')).toBe(true);
    // Each list keeps the order of the orders: oldest first.
    for (const list of [first, second]) {
      const positions = list.items.map((item) => orders.indexOf(item.orderId));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    await expect(api.picklists.create({ facilityId: store }, 'picker-3')).rejects.toBeInstanceOf(ConflictError);

    const completed = await api.picklists.complete(first.id);
    expect(completed).toMatchObject({ status: 'COMPLETED', facilityId: store });
    expect((await api.picklists.complete(first.id)).completedAt).toEqual(completed.completedAt);
    expect(
      await api.db.query(`SELECT count(*)::int AS n FROM order_history WHERE type = 'PICKING' AND order_id = ANY($1::uuid[])`, [orders]),
    ).toEqual([{ n: 100 }]);
    expect(await api.db.query(`SELECT topic FROM outbox_event WHERE topic LIKE 'picklist.%' ORDER BY id`)).toEqual([
      { topic: 'picklist.created' },
      { topic: 'picklist.created' },
      { topic: 'picklist.completed' },
    ]);
    await expectInvariants();
  });

  it('ships 2 of 3 items: the order stays open and stock drops by exactly those; the third ships later and completes the order', async () => {
    const warehouse = await facility(NEWARK);
    const [mug, cup, plate] = [await product(), await product(), await product()];
    for (const productId of [mug, cup, plate]) await receive(warehouse, productId, 10);
    const order = await brokeredOrder([mug, 2], [cup, 3], [plate, 1]);
    expect((await itemsOf(order.id)).map((item) => item.status)).toEqual(['ALLOCATED', 'ALLOCATED', 'ALLOCATED']);
    const picklist = await api.picklists.create({ facilityId: warehouse, orderIds: [order.id], limit: 1 }, 'picker');
    expect(picklist.items.map((item) => item.itemId)).toEqual([order.itemIds[0]]);

    const shipment = await api.shipments.pack(
      { orderId: order.id, facilityId: warehouse, itemIds: order.itemIds.slice(0, 2), packages: [{ weightGrams: 900, lengthCm: 30 }] },
      'packer',
    );
    expect(shipment).toMatchObject({ orderId: order.id, facilityId: warehouse, status: 'PACKED', carrier: null, trackingNumber: null });
    expect(shipment.packages).toEqual([{ weightGrams: 900, lengthCm: 30, widthCm: null, heightCm: null }]);
    expect((await itemsOf(order.id)).map((item) => item.status)).toEqual(['PACKED', 'PACKED', 'ALLOCATED']);
    expect(await stockOf(warehouse, mug)).toEqual({ onHand: 10, reserved: 2 });

    const shipped = await api.shipments.ship(shipment.id, { carrier: 'UPS', trackingNumber: '1Z999', service: 'GROUND' }, 'packer');
    expect(shipped).toMatchObject({ status: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999', service: 'GROUND' });
    expect(shipped.shippedAt).toBeInstanceOf(Date);
    expect(await orderStatus(order.id)).toBe('BROKERED');
    expect(await stockOf(warehouse, mug)).toEqual({ onHand: 8, reserved: 0 });
    expect(await stockOf(warehouse, cup)).toEqual({ onHand: 7, reserved: 0 });
    expect(await stockOf(warehouse, plate)).toEqual({ onHand: 10, reserved: 1 });
    await expect(api.shipments.ship(shipment.id, { carrier: 'UPS', trackingNumber: '1Z999' }, 'packer')).rejects.toThrow(
      `shipment ${shipment.id} is SHIPPED and cannot be shipped`,
    );
    await expect(api.shipments.unpack(shipment.id, 'packer')).rejects.toBeInstanceOf(ConflictError);
    await expectInvariants();

    const last = await api.shipments.packAndShip(order.id, warehouse, { carrier: 'DHL', trackingNumber: 'JD01' }, 'packer');
    expect(last.shippedItemIds).toEqual([order.itemIds[2]]);
    expect(last.order.status).toBe('COMPLETED');
    expect(await stockOf(warehouse, plate)).toEqual({ onHand: 9, reserved: 0 });
    const shipments = await api.shipments.ofOrder(order.id);
    expect(shipments.map((s) => [s.status, s.items.map((item) => item.itemId)])).toEqual([
      ['SHIPPED', order.itemIds.slice(0, 2)],
      ['SHIPPED', [order.itemIds[2]]],
    ]);
    expect(
      await api.db.query(`SELECT topic FROM outbox_event WHERE aggregate_id = $1 AND topic IN ('order.packed', 'order.shipped') ORDER BY id`, [
        order.id,
      ]),
    ).toEqual(['order.packed', 'order.shipped', 'order.packed', 'order.shipped'].map((topic) => ({ topic })));
    await expectInvariants();
  });

  it('unpacks a shipment back to picking, and a cancel then returns the stock and leaves nothing reserved', async () => {
    const warehouse = await facility(NEWARK);
    const [mug, cup] = [await product(), await product()];
    await receive(warehouse, mug, 5);
    await receive(warehouse, cup, 5);
    const order = await brokeredOrder([mug, 2], [cup, 1]);
    const shipment = await api.shipments.pack({ orderId: order.id, facilityId: warehouse, itemIds: order.itemIds }, 'packer');
    await expect(api.orders.cancel(order.id, 'clerk')).rejects.toThrow(`order ${order.id} has an item PACKED and cannot be cancelled`);

    const unpacked = await api.shipments.unpack(shipment.id, 'packer');
    expect(unpacked.status).toBe('UNPACKED');
    expect((await itemsOf(order.id)).map((item) => item.status)).toEqual(['PICKING', 'PICKING']);
    expect(await api.db.query(`SELECT count(*)::int AS n FROM order_history WHERE order_id = $1 AND type = 'UNPACKED'`, [order.id])).toEqual([
      { n: 2 },
    ]);
    await expect(api.shipments.ship(shipment.id, { carrier: 'UPS', trackingNumber: '1' }, 'packer')).rejects.toBeInstanceOf(ConflictError);

    const cancelled = await api.orders.cancel(order.id, 'clerk');
    expect(cancelled.status).toBe('CANCELLED');
    expect(await stockOf(warehouse, mug)).toEqual({ onHand: 5, reserved: 0 });
    expect(await stockOf(warehouse, cup)).toEqual({ onHand: 5, reserved: 0 });
    await expectInvariants();
  });

  it(`lets exactly one of a cancel and a pack of the same items win, over ${RACE_ROUNDS} rounds`, async () => {
    const warehouse = await facility(NEWARK);
    const tee = await product();
    await receive(warehouse, tee, 2 * RACE_ROUNDS);
    const wins = { cancel: 0, pack: 0 };
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const order = await brokeredOrder([tee, 1], [tee, 1]);
      const [cancel, pack] = await Promise.all([
        rejection(api.orders.cancel(order.id, 'clerk')),
        rejection(worker.shipments.pack({ orderId: order.id, facilityId: warehouse, itemIds: order.itemIds }, 'packer')),
      ]);
      expect([cancel, pack].filter((error) => error === undefined)).toHaveLength(1);
      const lost = cancel ?? pack;
      expect(lost).toBeInstanceOf(ConflictError);
      const statuses = (await itemsOf(order.id)).map((item) => item.status);
      if (cancel === undefined) {
        wins.cancel += 1;
        expect((lost as Error).message).toMatch(/is CANCELLED and cannot be packed/);
        expect(statuses).toEqual(['CANCELLED', 'CANCELLED']);
      } else {
        wins.pack += 1;
        expect((lost as Error).message).toMatch(/has an item PACKED and cannot be cancelled/);
        expect(statuses).toEqual(['PACKED', 'PACKED']);
      }
    }
    expect(wins.cancel + wins.pack).toBe(RACE_ROUNDS);
    expect(await stockOf(warehouse, tee)).toEqual({ onHand: 2 * RACE_ROUNDS, reserved: 2 * wins.pack });
    await expectInvariants();
  });

  it('takes a rejected picking item off its picklist and routes it again elsewhere', async () => {
    const [near, far] = [await facility(BROOKLYN), await facility(CHICAGO)];
    const tee = await product();
    await receive(near, tee, 1);
    await receive(far, tee, 1);
    const order = await brokeredOrder([tee, 1]);
    expect((await itemsOf(order.id))[0].facilityId).toBe(near);
    const picklist = await api.picklists.create({ facilityId: near, orderIds: [order.id] }, 'picker');
    expect(picklist.items.map((item) => item.itemId)).toEqual(order.itemIds);

    await api.rejections.reject({ orderId: order.id, itemId: order.itemIds[0], reason: 'DAMAGED' }, 'picker');
    expect((await api.picklists.get(picklist.id)).items).toEqual([]);
    expect(await itemsOf(order.id)).toEqual([{ id: order.itemIds[0], status: 'ALLOCATED', facilityId: far }]);
    expect(await stockOf(near, tee)).toEqual({ onHand: 0, reserved: 0 });
    // On no open picklist any more, it can be picked where it is now.
    expect((await api.picklists.create({ facilityId: far, orderIds: [order.id] }, 'picker')).items.map((item) => item.itemId)).toEqual(order.itemIds);
    await expectInvariants();
  });

  it('refuses hold, order cancel and item cancel once an item is packed (409 naming the status), and allows them while picking', async () => {
    const warehouse = await facility(NEWARK);
    const tee = await product();
    await receive(warehouse, tee, 4);
    const picking = await brokeredOrder([tee, 1], [tee, 1]);
    const heldList = await api.picklists.create({ facilityId: warehouse, orderIds: [picking.id] }, 'picker');
    expect((await api.holds.hold(picking.id, { reason: 'CUSTOMER_REQUEST' }, 'clerk')).status).toBe('HELD');
    expect((await itemsOf(picking.id)).map((item) => item.status)).toEqual(['BACKORDERED', 'BACKORDERED']);
    expect((await api.picklists.get(heldList.id)).items).toEqual([]);
    expect(await stockOf(warehouse, tee)).toMatchObject({ reserved: 0 });
    await api.holds.release(picking.id);
    const released = await api.picklists.create({ facilityId: warehouse, orderIds: [picking.id] }, 'picker');
    expect((await api.itemCancel.cancel(picking.id, picking.itemIds[0], 'clerk')).items[0].status).toBe('CANCELLED');
    expect((await api.picklists.get(released.id)).items.map((item) => item.itemId)).toEqual([picking.itemIds[1]]);

    const packed = await brokeredOrder([tee, 1], [tee, 1]);
    await api.shipments.pack({ orderId: packed.id, facilityId: warehouse, itemIds: [packed.itemIds[0]] }, 'packer');
    const conflict = `order ${packed.id} has an item PACKED and cannot`;
    await expect(api.holds.hold(packed.id, { reason: 'CUSTOMER_REQUEST' }, 'clerk')).rejects.toThrow(`${conflict} be held`);
    await expect(api.orders.cancel(packed.id, 'clerk')).rejects.toThrow(`${conflict} be cancelled`);
    await expect(api.itemCancel.cancel(packed.id, packed.itemIds[0], 'clerk')).rejects.toThrow(
      `order item ${packed.itemIds[0]} is PACKED and cannot become CANCELLED`,
    );
    await expect(api.rejections.reject({ orderId: packed.id, itemId: packed.itemIds[0], reason: 'DAMAGED' }, 'packer')).rejects.toThrow(
      `order item ${packed.itemIds[0]} is PACKED and cannot be rejected`,
    );
    expect((await itemsOf(packed.id)).map((item) => item.status)).toEqual(['PACKED', 'ALLOCATED']);
    await expectInvariants();
  });

  it('answers unknown ids with NotFoundError and items not ready to pack with ConflictError naming why', async () => {
    const [warehouse, other] = [await facility(NEWARK), await facility(CHICAGO)];
    const tee = await product();
    await receive(warehouse, tee, 2);
    const order = await brokeredOrder([tee, 1]);
    const unknown = randomUUID();
    const packing = { orderId: order.id, facilityId: warehouse, itemIds: order.itemIds };
    await expect(api.shipments.pack({ ...packing, orderId: unknown }, 'p')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.shipments.pack({ ...packing, facilityId: unknown }, 'p')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.shipments.pack({ ...packing, itemIds: [unknown] }, 'p')).rejects.toThrow(`order item ${unknown} not found`);
    await expect(api.shipments.pack({ ...packing, facilityId: other }, 'p')).rejects.toThrow(
      `order item ${order.itemIds[0]} is held by another facility than ${other}`,
    );
    await expect(api.shipments.ship(unknown, { carrier: 'UPS', trackingNumber: '1' }, 'p')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.shipments.unpack(unknown, 'p')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.shipments.get(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.picklists.create({ facilityId: unknown }, 'p')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.picklists.get(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.picklists.complete(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.picklists.create({ facilityId: other }, 'p')).rejects.toBeInstanceOf(ConflictError);
    // A key limited to other facilities sees neither the picklists nor the shipments of this one.
    const elsewhere = { channels: null, facilities: [other] };
    await expect(api.picklists.create({ facilityId: warehouse }, 'p', elsewhere)).rejects.toBeInstanceOf(NotFoundError);
    const shipment = await api.shipments.pack(packing, 'p');
    await expect(api.shipments.get(shipment.id, elsewhere)).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.shipments.pack(packing, 'p')).rejects.toThrow(`order item ${order.itemIds[0]} is PACKED and cannot be packed`);
    await api.shipments.ship(shipment.id, { carrier: 'UPS', trackingNumber: '1' }, 'p');
    await expectInvariants();
  });
});
