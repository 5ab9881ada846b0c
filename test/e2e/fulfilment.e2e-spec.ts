import { ADDRESS, ApiFixture, apiClient, expectErrorBody, expectValidationError, Fulfillment, Order, startApi } from '../support/api-fixture';
import { valueWithin } from '../support/http';
import { settleAndAssertInvariants } from '../support/invariants';

interface PicklistItem {
  orderId: string;
  itemId: string;
  productId: string;
  sku: string;
  quantity: number;
  status: string;
}

interface Picklist {
  id: string;
  facilityId: string;
  status: string;
  createdAt: string;
  completedAt: string | null;
  items: PicklistItem[];
}

interface Shipment {
  id: string;
  orderId: string;
  facilityId: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  service: string | null;
  shippedAt: string | null;
  items: { itemId: string; productId: string; sku: string; quantity: number }[];
  packages: { weightGrams: number | null; lengthCm: number | null; widthCm: number | null; heightCm: number | null }[];
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Picklists and shipments (docs/api.md, Fulfilment) over HTTP, on the built apps with a worker process relaying the outbox. */
describe('fulfilment: picklists, shipments, pack and ship', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('fulfilment');
    await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const brokered = async (items: { productId: string; quantity: number }[]): Promise<Order> => {
    const created = await f.api<Order>('POST', '/orders', { customer: { email: 'c@example.com' }, shippingAddress: ADDRESS, items });
    expect(created.status).toBe(201);
    // The worker brokers it (and holds its lock meanwhile), so the test waits for it rather than brokering it itself.
    return valueWithin(async () => {
      const order = (await f.api<Order>('GET', `/orders/${created.body.id}`)).body;
      return order.status === 'BROKERED' ? order : undefined;
    }, `order ${created.body.id} brokered`);
  };
  const stock = async (facilityId: string, productId: string) =>
    (
      await f.sql<{ onHand: number; reserved: number }>(
        'SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
        [facilityId, productId],
      )
    )[0];
  const statusesOf = async (orderId: string) => (await f.api<Order>('GET', `/orders/${orderId}`)).body.items.map((item) => item.status);

  it('picks, packs two of three items, ships them (the order stays open), then packs and ships the last in one step', async () => {
    const facility = await f.createFacility();
    const products = [await f.createProduct(), await f.createProduct(), await f.createProduct()];
    for (const product of products) await f.setStock(facility.id, product.id, 10);
    const order = await brokered(products.map((product, n) => ({ productId: product.id, quantity: n + 1 })));
    const [first, second, third] = order.items;

    const picklist = await f.api<Picklist>('POST', `/facilities/${facility.id}/picklists`, { orderIds: [order.id], limit: 2 });
    expect(picklist.status).toBe(201);
    expect(picklist.body).toMatchObject({ facilityId: facility.id, status: 'OPEN', completedAt: null });
    expect(picklist.body.items).toEqual([
      { orderId: order.id, itemId: first.id, productId: first.productId, sku: first.sku, quantity: 1, status: 'PICKING' },
      { orderId: order.id, itemId: second.id, productId: second.productId, sku: second.sku, quantity: 2, status: 'PICKING' },
    ]);
    expect((await f.api<Picklist>('GET', `/picklists/${picklist.body.id}`)).body.items).toHaveLength(2);
    const completed = await f.api<Picklist>('POST', `/picklists/${picklist.body.id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('COMPLETED');

    const packed = await f.api<Shipment>('POST', '/shipments', {
      orderId: order.id,
      facilityId: facility.id,
      itemIds: [first.id, second.id],
      packages: [{ weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 10 }, {}],
    });
    expect(packed.status).toBe(201);
    expect(packed.body).toMatchObject({ orderId: order.id, facilityId: facility.id, status: 'PACKED', carrier: null, trackingNumber: null });
    expect(packed.body.items.map((item) => item.itemId)).toEqual([first.id, second.id]);
    expect(packed.body.packages).toEqual([
      { weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 10 },
      { weightGrams: null, lengthCm: null, widthCm: null, heightCm: null },
    ]);
    expect(await statusesOf(order.id)).toEqual(['PACKED', 'PACKED', 'ALLOCATED']);

    // Packed: hold, cancel and item cancel are refused, naming the status; nothing changes.
    const refusals = [
      await f.api('POST', `/orders/${order.id}/hold`, { reason: 'CUSTOMER_REQUEST' }),
      await f.api('POST', `/orders/${order.id}/cancel`, {}),
      await f.api('POST', `/orders/${order.id}/items/${first.id}/cancel`, {}),
    ];
    for (const refusal of refusals) expect(expectErrorBody(refusal, 409).message).toMatch(/PACKED/);
    expect(await statusesOf(order.id)).toEqual(['PACKED', 'PACKED', 'ALLOCATED']);

    const shipped = await f.api<Shipment>('POST', `/shipments/${packed.body.id}/ship`, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', service: null });
    expect((await f.api<Order>('GET', `/orders/${order.id}`)).body.status).toBe('BROKERED');
    expect(await Promise.all(products.map((product) => stock(facility.id, product.id)))).toEqual([
      { onHand: 9, reserved: 0 },
      { onHand: 8, reserved: 0 },
      { onHand: 10, reserved: 3 },
    ]);
    expectErrorBody(await f.api('POST', `/shipments/${packed.body.id}/ship`, { carrier: 'UPS', trackingNumber: '1' }), 409);
    expectErrorBody(await f.api('POST', `/shipments/${packed.body.id}/unpack`), 409);

    const rest = await f.api<Fulfillment>('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id });
    expect(rest.status).toBe(201);
    expect(rest.body.shippedItemIds).toEqual([third.id]);
    expect(rest.body.order.status).toBe('COMPLETED');
    expect(await stock(facility.id, third.productId)).toEqual({ onHand: 7, reserved: 0 });

    const shipments = await f.api<{ items: Shipment[] }>('GET', `/orders/${order.id}/shipments`);
    expect(shipments.body.items.map((shipment) => [shipment.status, shipment.items.map((item) => item.itemId)])).toEqual([
      ['SHIPPED', [first.id, second.id]],
      ['SHIPPED', [third.id]],
    ]);
    const history = (await f.api<{ items: { type: string; itemId?: string }[] }>('GET', `/orders/${order.id}/history`)).body.items;
    expect(history.filter((entry) => entry.itemId === first.id).map((entry) => entry.type)).toEqual(['ALLOCATED', 'PICKING', 'PACKED', 'SHIPPED']);
    expect(history.filter((entry) => entry.itemId === third.id).map((entry) => entry.type)).toEqual(['ALLOCATED', 'PACKED', 'SHIPPED']);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('gives two pickers asking at once disjoint picklists that together hold every allocated item', async () => {
    const facility = await f.createFacility({ latitude: 40.75, longitude: -73.99 });
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 40);
    const orders = await Promise.all(Array.from({ length: 40 }, () => brokered([{ productId: product.id, quantity: 1 }])));
    expect(orders.every((order) => order.items[0].facilityId === facility.id)).toBe(true);
    const lists = await Promise.all([1, 2].map(() => f.api<Picklist>('POST', `/facilities/${facility.id}/picklists`, { limit: 20 })));
    expect(lists.map((list) => list.status)).toEqual([201, 201]);
    const picked = lists.flatMap((list) => list.body.items.map((item) => item.itemId));
    expect(picked).toHaveLength(40);
    expect(new Set(picked)).toEqual(new Set(orders.map((order) => order.items[0].id)));
    expectErrorBody(await f.api('POST', `/facilities/${facility.id}/picklists`), 409);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('unpacks a shipment back to picking; cancelling the order then returns the stock and leaves nothing reserved', async () => {
    const facility = await f.createFacility();
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 5);
    const order = await brokered([{ productId: product.id, quantity: 2 }]);
    const packed = await f.api<Shipment>('POST', '/shipments', { orderId: order.id, facilityId: facility.id, itemIds: [order.items[0].id] });
    expect(packed.status).toBe(201);
    const unpacked = await f.api<Shipment>('POST', `/shipments/${packed.body.id}/unpack`);
    expect(unpacked.status).toBe(200);
    expect(unpacked.body.status).toBe('UNPACKED');
    expect(await statusesOf(order.id)).toEqual(['PICKING']);
    const cancelled = await f.api<Order>('POST', `/orders/${order.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await stock(facility.id, product.id)).toEqual({ onHand: 5, reserved: 0 });
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('takes a rejected picking item off its picklist and routes it to another facility', async () => {
    const near = await f.createFacility({ latitude: 40.75, longitude: -73.99 });
    const far = await f.createFacility({ latitude: 41.88, longitude: -87.63 });
    const product = await f.createProduct();
    await f.setStock(near.id, product.id, 1);
    await f.setStock(far.id, product.id, 1);
    const order = await brokered([{ productId: product.id, quantity: 1 }]);
    expect(order.items[0].facilityId).toBe(near.id);
    const picklist = (await f.api<Picklist>('POST', `/facilities/${near.id}/picklists`, { orderIds: [order.id] })).body;
    const rejected = await f.api<Order>('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason: 'DAMAGED' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: far.id });
    expect((await f.api<Picklist>('GET', `/picklists/${picklist.id}`)).body.items).toEqual([]);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('answers bad input with 400, unknown ids with 404, a wrong state with 409, and never a 500', async () => {
    const facility = await f.createFacility();
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 3);
    const order = await brokered([{ productId: product.id, quantity: 1 }]);
    const itemId = order.items[0].id;
    const body = { orderId: order.id, facilityId: facility.id, itemIds: [itemId] };

    for (const limit of [0, 201, 1.5, '10', null])
      expectValidationError(await f.api('POST', `/facilities/${facility.id}/picklists`, { limit }), 'limit');
    expectValidationError(await f.api('POST', `/facilities/${facility.id}/picklists`, { orderIds: ['nope'] }), 'orderIds');
    expectValidationError(await f.api('POST', '/facilities/nope/picklists', {}));
    expectValidationError(await f.api('POST', '/shipments', { ...body, itemIds: [] }), 'itemIds');
    expectValidationError(await f.api('POST', '/shipments', { ...body, itemIds: [itemId, itemId] }), 'itemIds');
    expectValidationError(await f.api('POST', '/shipments', { ...body, itemIds: ['nope'] }), 'itemIds');
    expectValidationError(await f.api('POST', '/shipments', { ...body, orderId: undefined }), 'orderId');
    for (const weightGrams of [0, -1, 1.5, '1']) {
      expectValidationError(await f.api('POST', '/shipments', { ...body, packages: [{ weightGrams }] }), 'packages[0].weightGrams');
    }
    expectValidationError(await f.api('POST', '/shipments', { ...body, packages: [null] }));
    expectValidationError(await f.api('POST', `/shipments/${UNKNOWN}/ship`, { trackingNumber: '1' }), 'carrier');
    expectValidationError(await f.api('POST', `/shipments/${UNKNOWN}/ship`, { carrier: '', trackingNumber: '1' }), 'carrier');
    expectValidationError(await f.api('GET', '/shipments/nope'));

    expectErrorBody(await f.api('POST', `/facilities/${UNKNOWN}/picklists`, {}), 404);
    expectErrorBody(await f.api('GET', `/picklists/${UNKNOWN}`), 404);
    expectErrorBody(await f.api('POST', `/picklists/${UNKNOWN}/complete`), 404);
    expectErrorBody(await f.api('POST', '/shipments', { ...body, orderId: UNKNOWN }), 404);
    expectErrorBody(await f.api('POST', '/shipments', { ...body, facilityId: UNKNOWN }), 404);
    expectErrorBody(await f.api('POST', '/shipments', { ...body, itemIds: [UNKNOWN] }), 404);
    expectErrorBody(await f.api('GET', `/shipments/${UNKNOWN}`), 404);
    expectErrorBody(await f.api('POST', `/shipments/${UNKNOWN}/ship`, { carrier: 'UPS', trackingNumber: '1' }), 404);
    expectErrorBody(await f.api('POST', `/shipments/${UNKNOWN}/unpack`), 404);
    expectErrorBody(await f.api('GET', `/orders/${UNKNOWN}/shipments`), 404);

    const other = await f.createFacility();
    expectErrorBody(await f.api('POST', `/facilities/${other.id}/picklists`, {}), 409);
    expect(expectErrorBody(await f.api('POST', '/shipments', { ...body, facilityId: other.id }), 409).message).toMatch(/another facility/);
    expect((await f.api('POST', '/shipments', body)).status).toBe(201);
    expect(expectErrorBody(await f.api('POST', '/shipments', body), 409).message).toBe(`order item ${itemId} is PACKED and cannot be packed`);

    // A key without the fulfilment permission is refused; one limited to another facility does not see this one.
    const reader = apiClient(f.url, (await f.createApiKey('reader', { permissions: ['orders:read'] })).key);
    expectErrorBody(await reader('POST', `/facilities/${facility.id}/picklists`, {}), 403);
    const elsewhere = apiClient(f.url, (await f.createApiKey('elsewhere', { facilities: [other.id] })).key);
    expectErrorBody(await elsewhere('POST', `/facilities/${facility.id}/picklists`, {}), 404);
    const [shipment] = (await f.api<{ items: Shipment[] }>('GET', `/orders/${order.id}/shipments`)).body.items;
    expectErrorBody(await elsewhere('GET', `/shipments/${shipment.id}`), 404);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });
});
