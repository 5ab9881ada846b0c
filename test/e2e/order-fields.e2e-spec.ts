import { ADDRESS, ApiFixture, expectValidationError, listAll, Order, Product, startApi, uniqueSuffix } from '../support/api-fixture';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const BROKERED_WITHIN_MS = 20_000;
const ADDRESS_WITHOUT_COORDINATES = { line1: ADDRESS.line1, city: ADDRESS.city, postalCode: ADDRESS.postalCode, country: ADDRESS.country };

/**
 * The fields an order gains besides its lines (shipping method and pickup facility, priority,
 * promise date, tags, coordinates that may be left out), its approval as it is taken, and the queue
 * each item waits in until it is allocated.
 */
describe('orders: shipping method, pickup, priority, promise date, tags, approval and item queues', () => {
  let f: ApiFixture;
  let product: Product;

  beforeAll(async () => {
    f = await startApi('order_fields');
    product = await f.createProduct({ price: '4.00' });
  });

  afterAll(async () => {
    await f?.stop();
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    customer: { email: 'grace@example.com' },
    shippingAddress: ADDRESS,
    items: [{ productId: product.id, quantity: 1 }],
    ...extra,
  });
  const create = async (extra: Record<string, unknown> = {}) => {
    const response = await f.api<Order>('POST', '/orders', body(extra));
    expect(response.status).toBe(201);
    return response.body;
  };
  const orderCount = async () => (await f.sql<{ n: number }>('SELECT count(*)::int AS n FROM sales_order'))[0].n;

  it('defaults: STANDARD, no pickup facility, priority 5, no promise date, no tags; approved at once, items waiting in BROKERING', async () => {
    const order = await create();
    expect(order).toMatchObject({
      status: 'APPROVED',
      salesChannel: expect.any(String),
      shippingMethod: 'STANDARD',
      pickupFacilityId: null,
      priority: 5,
      promiseDate: null,
      tags: [],
      items: [{ status: 'CREATED', facilityId: null, queue: 'BROKERING', autoCancelAt: null }],
    });
    expect((await f.api<Order>('GET', `/orders/${order.id}`)).body).toEqual(order);
    const history = (await f.api<{ items: { type: string }[] }>('GET', `/orders/${order.id}/history`)).body.items;
    expect(history.map((entry) => entry.type)).toEqual(['CREATED', 'APPROVED']);
  });

  it('stores and returns every field as sent (tags without duplicates), on the order and in the list', async () => {
    const store = await f.createFacility({ type: 'STORE', canPickup: true });
    const tag = `tag-${uniqueSuffix()}`;
    const order = await create({
      shippingMethod: 'PICKUP',
      pickupFacilityId: store.id,
      priority: 9,
      promiseDate: '2028-02-29',
      tags: [tag, 'gift', tag],
      shippingAddress: ADDRESS_WITHOUT_COORDINATES,
    });
    expect(order).toMatchObject({
      shippingMethod: 'PICKUP',
      pickupFacilityId: store.id,
      priority: 9,
      promiseDate: '2028-02-29',
      tags: [tag, 'gift'],
      shippingAddress: ADDRESS_WITHOUT_COORDINATES,
    });
    expect(order.shippingAddress).not.toHaveProperty('latitude');
    expect((await f.api<Order>('GET', `/orders/${order.id}`)).body).toEqual(order);
    expect(await listAll<Order>(f.api, `/orders?tag=${tag}`)).toEqual([order]);

    for (const shippingMethod of ['EXPRESS', 'NEXT_DAY', 'STANDARD']) {
      expect((await create({ shippingMethod, priority: 0 })).shippingMethod).toBe(shippingMethod);
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown shipping method', { shippingMethod: 'DRONE' }, 'shippingMethod'],
    ['PICKUP without a pickup facility', { shippingMethod: 'PICKUP' }, 'pickupFacilityId'],
    ['a pickup facility without PICKUP (by default STANDARD)', { pickupFacilityId: UNKNOWN_ID }, 'pickupFacilityId'],
    ['a pickup facility with EXPRESS', { shippingMethod: 'EXPRESS', pickupFacilityId: UNKNOWN_ID }, 'pickupFacilityId'],
    ['a pickup facility that does not exist', { shippingMethod: 'PICKUP', pickupFacilityId: UNKNOWN_ID }, 'pickupFacilityId'],
    ['a pickup facility that is not a uuid', { shippingMethod: 'PICKUP', pickupFacilityId: 'store-1' }, 'pickupFacilityId'],
    ['priority below 0', { priority: -1 }, 'priority'],
    ['priority above 9', { priority: 10 }, 'priority'],
    ['a fractional priority', { priority: 2.5 }, 'priority'],
    ['a priority as text', { priority: '5' }, 'priority'],
    ['a null priority', { priority: null }, 'priority'],
    ['a promise date that is not in the calendar', { promiseDate: '2026-02-30' }, 'promiseDate'],
    ['a promise date not written YYYY-MM-DD', { promiseDate: '2026-3-1' }, 'promiseDate'],
    ['a promise date with a time', { promiseDate: '2026-03-01T00:00:00Z' }, 'promiseDate'],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    ['an empty tag', { tags: ['ok', ''] }, 'tags'],
    ['a tag longer than 64 characters', { tags: ['x'.repeat(65)] }, 'tags'],
    ['a tag that is not a string', { tags: [7] }, 'tags'],
    ['tags that are not a list', { tags: 'gift' }, 'tags'],
    ['a latitude without a longitude', { shippingAddress: { ...ADDRESS_WITHOUT_COORDINATES, latitude: 40.7 } }, 'shippingAddress.longitude'],
    ['a longitude without a latitude', { shippingAddress: { ...ADDRESS_WITHOUT_COORDINATES, longitude: -74 } }, 'shippingAddress.latitude'],
    ['a null latitude', { shippingAddress: { ...ADDRESS, latitude: null } }, 'shippingAddress.latitude'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_, extra, field) => {
    const before = await orderCount();
    expectValidationError(await f.api('POST', '/orders', body(extra)), field);
    expect(await orderCount()).toBe(before);
  });

  it('answers 400 naming pickupFacilityId for a facility that does not offer pickup', async () => {
    const warehouse = await f.createFacility({ type: 'WAREHOUSE', canPickup: false });
    const before = await orderCount();
    const refused = expectValidationError(
      await f.api('POST', '/orders', body({ shippingMethod: 'PICKUP', pickupFacilityId: warehouse.id })),
      'pickupFacilityId',
    );
    expect(refused.details).toEqual([{ field: 'pickupFacilityId', message: `facility ${warehouse.id} does not offer pickup` }]);
    expect(await orderCount()).toBe(before);
  });

  it('GET /orders?tag= lists the orders carrying that tag, alone or with the other filters', async () => {
    const [gift, rush] = [`gift-${uniqueSuffix()}`, `rush-${uniqueSuffix()}`];
    const both = await create({ tags: [gift, rush] });
    const giftOnly = await create({ tags: [gift] });
    await create({ tags: [] });
    const ids = async (query: string) => (await listAll<Order>(f.api, `/orders?${query}`)).map((order) => order.id);

    expect(await ids(`tag=${gift}`)).toEqual([giftOnly.id, both.id]);
    expect(await ids(`tag=${rush}`)).toEqual([both.id]);
    expect(await ids(`tag=${gift}&status=APPROVED&salesChannel=${both.salesChannel}`)).toEqual([giftOnly.id, both.id]);
    expect(await ids(`tag=${gift}&status=CANCELLED`)).toEqual([]);
    expect(await ids(`tag=nobody-${uniqueSuffix()}`)).toEqual([]);
    expectValidationError(await f.api('GET', `/orders?tag=${'x'.repeat(65)}`), 'tag');
  });

  it('an Idempotency-Key replays an order with the new fields; the key with other fields is a 422', async () => {
    const key = `fields-${uniqueSuffix()}`;
    const sent = body({ shippingMethod: 'EXPRESS', priority: 7, promiseDate: '2027-01-31', tags: ['b', 'a', 'b'] });
    const first = await f.api<Order>('POST', '/orders', sent, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const replay = await f.api<Order>('POST', '/orders', sent, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body).toMatchObject({ shippingMethod: 'EXPRESS', priority: 7, promiseDate: '2027-01-31', tags: ['b', 'a'] });
    expect((await f.api('POST', '/orders', { ...sent, priority: 8 }, { 'idempotency-key': key })).status).toBe(422);
  });

  // Last: from here on a worker brokers every order of this suite's database.
  it('the worker brokers an order without coordinates (every facility as near: as much stock, so the lowest code first) and queues what it backorders', async () => {
    const [stocked, missing] = [await f.createProduct(), await f.createProduct()];
    const facilities = [
      await f.createFacility({ latitude: 34.05, longitude: -118.24 }),
      await f.createFacility({ latitude: 40.73, longitude: -74.17 }),
    ];
    for (const facility of facilities) await f.setStock(facility.id, stocked.id, 5);
    await f.startWorker();

    const order = await create({
      shippingAddress: ADDRESS_WITHOUT_COORDINATES,
      items: [
        { productId: stocked.id, quantity: 1 },
        { productId: missing.id, quantity: 1 },
      ],
    });
    const deadline = Date.now() + BROKERED_WITHIN_MS;
    let brokered = order;
    while (brokered.status === 'APPROVED') {
      if (Date.now() > deadline) throw new Error(`order ${order.id} is still APPROVED`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      brokered = (await f.api<Order>('GET', `/orders/${order.id}`)).body;
    }
    expect(brokered.status).toBe('PARTIALLY_BROKERED');
    const lowestCode = [...facilities].sort((a, b) => (a.code < b.code ? -1 : 1))[0].id;
    expect(brokered.items.map(({ status, facilityId, queue, autoCancelAt }) => ({ status, facilityId, queue, autoCancelAt }))).toEqual([
      { status: 'ALLOCATED', facilityId: lowestCode, queue: null, autoCancelAt: null },
      { status: 'BACKORDERED', facilityId: null, queue: 'BACKORDER', autoCancelAt: null },
    ]);
  });
});
