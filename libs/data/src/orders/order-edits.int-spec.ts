import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';

const RACE_ROUNDS = 20;
/** The services are called directly: no worker relays the outbox. */
const SERVICES_ONLY = { withoutWorkers: true };
const BROOKLYN = { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 };
const LOS_ANGELES = { line1: '2 Sunset Blvd', city: 'Los Angeles', postalCode: '90028', country: 'US', latitude: 34.1, longitude: -118.33 };

/**
 * Customer service edits orders through OrderEditsService, on real PostgreSQL with the seeded
 * default routing (nearest facility first): an edit of where the order goes routes its unpicked
 * items again and gives back what they reserved, and every other edit leaves them where they are.
 */
describe('OrderEditsService (real PostgreSQL)', () => {
  const name = `oms_edits_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof dataServicesOn>;
  let worker: ReturnType<typeof dataServicesOn>;
  let newYork: string;
  let losAngeles: string;
  let store: string;
  const productIds: string[] = [];

  async function facility(latitude: number, longitude: number, canPickup = false): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude, can_pickup) VALUES ($1, $1, 'WAREHOUSE', $2, $3, $4) RETURNING id`,
      [`F-${randomUUID()}`, latitude, longitude, canPickup],
    );
    return id;
  }

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'edits-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'edits-int-spec')));
    [api, worker] = pools.map((pool) => dataServicesOn(pool));
    newYork = await facility(40.7, -74.0);
    losAngeles = await facility(34.05, -118.24);
    store = await facility(40.71, -73.95, true);
    for (let n = 0; n < 3; n += 1) {
      const id = await insertProduct(api.db);
      productIds.push(id);
      for (const facilityId of [newYork, losAngeles]) {
        await api.inventory.adjust({ facilityId, productId: id, delta: 1000, reason: 'received', actor: 'test' });
      }
    }
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  /** A new approved order of one unit of each product, shipped to `address`, brokered unless told not to. */
  async function brokeredOrder(address: object = BROOKLYN, broker = true): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel) VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify(address)],
    );
    await api.db.query(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
       SELECT $1, n, p.id, p.sku, 1, 1, 'CREATED', 'BROKERING' FROM unnest($2::uuid[]) WITH ORDINALITY AS l(product_id, n) JOIN product p ON p.id = l.product_id`,
      [id, productIds],
    );
    if (broker) await worker.brokering.brokerOrders([id]);
    return id;
  }

  const reservedAt = async (facilityId: string): Promise<number> => {
    const [{ reserved }] = await api.db.query<{ reserved: number }>(
      'SELECT COALESCE(sum(quantity_reserved), 0)::int AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = ANY($2::uuid[])',
      [facilityId, productIds],
    );
    return reserved;
  };

  const historyTypes = async (orderId: string) => (await api.orders.history(orderId)).map((entry) => entry.type);
  const editEvents = async (orderId: string) =>
    api.db.query<{ payload: { fields: string[]; rerouted: boolean } }>(
      `SELECT payload FROM outbox_event WHERE topic = 'order.edited' AND aggregate_id = $1 ORDER BY id`,
      [orderId],
    );

  it('moves the items to the facility near a new address and releases their old reservations', async () => {
    const orderId = await brokeredOrder();
    expect((await api.orders.get(orderId)).items.map((item) => item.facilityId)).toEqual([newYork, newYork, newYork]);
    const [newYorkBefore, losAngelesBefore] = [await reservedAt(newYork), await reservedAt(losAngeles)];

    const edited = await api.edits.edit(orderId, { shippingAddress: LOS_ANGELES }, 'test');

    expect(edited.shippingAddress).toEqual(LOS_ANGELES);
    expect(edited.status).toBe('BROKERED');
    expect(edited.items.map((item) => [item.status, item.facilityId])).toEqual([
      ['ALLOCATED', losAngeles],
      ['ALLOCATED', losAngeles],
      ['ALLOCATED', losAngeles],
    ]);
    expect(await reservedAt(newYork)).toBe(newYorkBefore - 3);
    expect(await reservedAt(losAngeles)).toBe(losAngelesBefore + 3);
    const history = await api.orders.history(orderId);
    expect(history.find((entry) => entry.type === 'EDITED')).toMatchObject({ reason: 'shippingAddress' });
    const afterEdit = history.slice(history.findIndex((entry) => entry.type === 'EDITED'));
    expect(afterEdit.filter((entry) => entry.type === 'QUEUED' && entry.reason === 'BROKERING')).toHaveLength(3);
    expect(history.filter((entry) => entry.type === 'ALLOCATED' && entry.facilityId === losAngeles)).toHaveLength(3);
    const released = await api.db.query('SELECT 1 FROM inventory_ledger WHERE order_id = $1 AND reason = $2 AND reserved_delta = -1', [
      orderId,
      'order edited',
    ]);
    expect(released).toHaveLength(3);
    expect((await editEvents(orderId)).map((event) => event.payload)).toEqual([{ orderId, fields: ['shippingAddress'], rerouted: true }]);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('routes a waiting order again by its new priority and promise date, and leaves cancelled items cancelled', async () => {
    const orderId = await brokeredOrder();
    const itemId = (await api.orders.get(orderId)).items[0].id;
    await api.db.query(`UPDATE order_item SET status = 'CANCELLED', facility_id = NULL WHERE id = $1`, [itemId]);
    await api.db.query(`UPDATE inventory_item SET quantity_reserved = quantity_reserved - 1 WHERE facility_id = $1 AND product_id = $2`, [
      newYork,
      productIds[0],
    ]);
    await api.db.query(
      `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id) VALUES ($1, $2, 0, -1, 'test', 'test', $3)`,
      [newYork, productIds[0], orderId],
    );

    const edited = await api.edits.edit(orderId, { priority: 9, promiseDate: '2027-01-15' }, 'test');

    expect(edited).toMatchObject({ priority: 9, promiseDate: '2027-01-15', status: 'BROKERED' });
    expect(edited.items.map((item) => item.status)).toEqual(['CANCELLED', 'ALLOCATED', 'ALLOCATED']);
    expect((await editEvents(orderId)).map((event) => event.payload.fields)).toEqual([['priority', 'promiseDate']]);
    expect((await api.edits.edit(orderId, { promiseDate: null }, 'test')).promiseDate).toBeNull();
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('keeps the items where they are when only tags change, and writes nothing for an edit that changes nothing', async () => {
    const orderId = await brokeredOrder();
    const before = await api.orders.get(orderId);

    const tagged = await api.edits.edit(orderId, { tags: ['vip', 'gift', 'vip'] }, 'test');
    expect(tagged.tags).toEqual(['vip', 'gift']);
    expect(tagged.items).toEqual(before.items);
    const historyAfterTags = await historyTypes(orderId);
    expect(historyAfterTags.filter((type) => type === 'EDITED')).toHaveLength(1);

    const same = await api.edits.edit(orderId, { tags: ['vip', 'gift'], shippingAddress: { ...BROOKLYN }, priority: 5 }, 'test');
    expect(same.items).toEqual(before.items);
    expect(await historyTypes(orderId)).toEqual(historyAfterTags);
    expect((await editEvents(orderId)).map((event) => event.payload)).toEqual([{ orderId, fields: ['tags'], rerouted: false }]);
  });

  it('edits a held order without routing it; the release routes it to the new address', async () => {
    const orderId = await brokeredOrder();
    await api.holds.hold(orderId, { reason: 'INCORRECT_ADDRESS' }, 'test');

    const edited = await api.edits.edit(orderId, { shippingAddress: LOS_ANGELES }, 'test');
    expect(edited.status).toBe('HELD');
    expect(edited.items.every((item) => item.status === 'BACKORDERED' && item.facilityId === null)).toBe(true);

    const released = await api.holds.release(orderId);
    expect(released.items.map((item) => item.facilityId)).toEqual([losAngeles, losAngeles, losAngeles]);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('routes an order not brokered yet by its edited address', async () => {
    const orderId = await brokeredOrder(BROOKLYN, false);
    const edited = await api.edits.edit(orderId, { shippingAddress: LOS_ANGELES }, 'test');
    expect(edited.items.map((item) => item.facilityId)).toEqual([losAngeles, losAngeles, losAngeles]);
  });

  it('refuses edits of cancelled and completed orders, naming their status, and changes nothing', async () => {
    const cancelled = await brokeredOrder();
    await api.orders.cancel(cancelled, 'test');
    const completed = await brokeredOrder();
    await api.shipments.packAndShip(completed, newYork, {}, 'test');

    for (const [orderId, status] of [
      [cancelled, 'CANCELLED'],
      [completed, 'COMPLETED'],
    ]) {
      const before = await api.orders.history(orderId);
      const refusal = api.edits.edit(orderId, { shippingAddress: LOS_ANGELES }, 'test');
      await expect(refusal).rejects.toBeInstanceOf(ConflictError);
      await expect(refusal).rejects.toThrow(status);
      expect(await api.orders.history(orderId)).toEqual(before);
      expect((await api.orders.get(orderId)).shippingAddress).toEqual(BROOKLYN);
    }
  });

  it('refuses a pickup without a facility that offers pickup, and takes one that does', async () => {
    const orderId = await brokeredOrder();
    await expect(api.edits.edit(orderId, { shippingMethod: 'PICKUP' }, 'test')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(api.edits.edit(orderId, { shippingMethod: 'PICKUP', pickupFacilityId: newYork }, 'test')).rejects.toThrow('does not offer pickup');
    await expect(api.edits.edit(orderId, { shippingMethod: 'PICKUP', pickupFacilityId: randomUUID() }, 'test')).rejects.toThrow('does not exist');
    await expect(api.edits.edit(orderId, { pickupFacilityId: store }, 'test')).rejects.toThrow('only when shippingMethod is PICKUP');

    const pickup = await api.edits.edit(orderId, { shippingMethod: 'PICKUP', pickupFacilityId: store }, 'test');
    expect(pickup).toMatchObject({ shippingMethod: 'PICKUP', pickupFacilityId: store });
    const shipped = await api.edits.edit(orderId, { shippingMethod: 'EXPRESS' }, 'test');
    expect(shipped).toMatchObject({ shippingMethod: 'EXPRESS', pickupFacilityId: null });
    await assertInvariants(url, SERVICES_ONLY);
  });

  it(`keeps stock, ledger and allocations in agreement when an edit races brokering, over ${RACE_ROUNDS} rounds`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const orderId = await brokeredOrder(BROOKLYN, round % 2 === 0);
      const address = round % 3 === 0 ? LOS_ANGELES : { ...BROOKLYN, line1: `${round + 100} Main St` };
      const [edited] = await Promise.all([
        api.edits.edit(orderId, { shippingAddress: address }, 'test'),
        worker.brokering.brokerOrders([orderId], undefined, { waitForLocks: round % 4 < 2 }),
      ]);
      const nearest = round % 3 === 0 ? losAngeles : newYork;
      expect(edited.items.map((item) => [item.status, item.facilityId])).toEqual(Array(3).fill(['ALLOCATED', nearest]));
    }
    await assertInvariants(url, SERVICES_ONLY);
  });
});
