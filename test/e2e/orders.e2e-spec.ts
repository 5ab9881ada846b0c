import {
  ADDRESS,
  ApiFixture,
  apiClient,
  Availability,
  expectErrorBody,
  expectValidationError,
  Facility,
  Fulfillment,
  InventoryRow,
  listAll,
  Order,
  Page,
  Product,
  startApi,
  uniqueSuffix,
} from '../support/api-fixture';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('orders: create, read, list, cancel, fulfil, availability, idempotency', () => {
  let f: ApiFixture;
  let product: Product;

  beforeAll(async () => {
    f = await startApi('orders');
    product = await f.createProduct({ name: 'Mug', price: '9.50' });
  });

  afterAll(async () => {
    await f?.stop();
  });

  const orderBody = (items: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    shippingAddress: ADDRESS,
    items,
    ...extra,
  });
  const createOrder = async (items: Record<string, unknown>[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await f.api<Order>('POST', '/orders', orderBody(items, extra), headers);
    expect(response.status).toBe(201);
    return response.body;
  };
  const inventory = async (facility: Facility, p: Product) => {
    const response = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${p.id}`);
    expect(response.status).toBe(200);
    return response.body.items[0];
  };
  const allOrders = () => listAll<Order>(f.api, '/orders');

  describe('POST /orders', () => {
    it('creates an order: 201 APPROVED with customer, address, items (unit price defaults to the product price) and total', async () => {
      const externalId = `EXT-${uniqueSuffix()}`;
      const response = await f.api<Order>('POST', '/orders', orderBody([{ productId: product.id, quantity: 2 }], { externalId }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(UUID),
        externalId,
        status: 'APPROVED',
        customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
        shippingAddress: ADDRESS,
        items: [
          {
            id: expect.stringMatching(UUID),
            productId: product.id,
            sku: product.sku,
            quantity: 2,
            unitPrice: '9.50',
            status: 'CREATED',
            facilityId: null,
          },
        ],
        total: '19.00',
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });
    });

    it('accepts items named by sku, an explicit unitPrice, and sums the total over items', async () => {
      const other = await f.createProduct({ price: '1.00' });
      const order = await createOrder([
        { sku: product.sku, quantity: 1 },
        { sku: other.sku, quantity: 3, unitPrice: '3.25' },
      ]);
      expect(order.items).toEqual([
        expect.objectContaining({ productId: product.id, sku: product.sku, quantity: 1, unitPrice: '9.50' }),
        expect.objectContaining({ productId: other.id, sku: other.sku, quantity: 3, unitPrice: '3.25' }),
      ]);
      expect(order.total).toBe('19.25');
      expect(order.externalId).toBeNull();
    });

    it('answers 400 for an unknown product (by id or by sku) and creates nothing', async () => {
      const before = (await allOrders()).length;
      expectErrorBody(await f.api('POST', '/orders', orderBody([{ productId: UNKNOWN_ID, quantity: 1 }])), 400);
      expectErrorBody(await f.api('POST', '/orders', orderBody([{ sku: `NOPE-${uniqueSuffix()}`, quantity: 1 }])), 400);
      expect((await allOrders()).length).toBe(before);
    });

    it('answers 400 naming the problem, and creates nothing, for lines that do not price together', async () => {
      const euro = await f.createProduct({ name: 'Euro mug', price: '8.00', currency: 'EUR' });
      const before = (await allOrders()).length;

      const currencies = expectErrorBody(
        await f.api(
          'POST',
          '/orders',
          orderBody([
            { productId: product.id, quantity: 1 },
            { sku: euro.sku, quantity: 1 },
          ]),
        ),
        400,
      );
      const tooLarge = expectErrorBody(
        await f.api('POST', '/orders', orderBody([{ productId: product.id, quantity: 1000, unitPrice: '999999999999.99' }])),
        400,
      );
      const bothWays = expectErrorBody(await f.api('POST', '/orders', orderBody([{ productId: product.id, sku: product.sku, quantity: 1 }])), 400);

      expect(currencies.details).toEqual([{ field: 'items', message: 'items are priced in several currencies: USD, EUR' }]);
      expect(tooLarge.details).toEqual([{ field: 'items', message: 'the total exceeds 99999999999999.99' }]);
      expect(bothWays.details).toEqual([{ field: 'items[0]', message: 'give exactly one of productId or sku' }]);
      expect((await allOrders()).length).toBe(before);
    });

    it('answers 400 for an empty items list', async () => {
      expectValidationError(await f.api('POST', '/orders', orderBody([])), 'items');
    });

    it('answers 400 for quantity 0 with details naming items[0].quantity', async () => {
      expectValidationError(await f.api('POST', '/orders', orderBody([{ productId: product.id, quantity: 0 }])), 'items[0].quantity');
      expectValidationError(
        await f.api(
          'POST',
          '/orders',
          orderBody([
            { productId: product.id, quantity: 1 },
            { productId: product.id, quantity: -2 },
          ]),
        ),
        'items[1].quantity',
      );
    });

    it('answers 400 naming customer.email when the customer has no email', async () => {
      expectValidationError(
        await f.api('POST', '/orders', orderBody([{ productId: product.id, quantity: 1 }], { customer: { name: 'Nobody' } })),
        'customer.email',
      );
    });
  });

  describe('GET /orders/:id and GET /orders', () => {
    it('GET /orders/:id returns the order as created', async () => {
      const order = await createOrder([{ productId: product.id, quantity: 1 }]);
      const response = await f.api<Order>('GET', `/orders/${order.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(order);
    });

    it('GET /orders filters by salesChannel and externalId, alone or together', async () => {
      const [shop, market] = [`SHOP-${uniqueSuffix()}`, `MARKET-${uniqueSuffix()}`];
      const shopApi = apiClient(f.url, (await f.createApiKey(undefined, { salesChannel: shop })).key);
      const marketApi = apiClient(f.url, (await f.createApiKey(undefined, { salesChannel: market })).key);
      const create = async (api: typeof f.api, externalId: string) =>
        (await api<Order>('POST', '/orders', orderBody([{ productId: product.id, quantity: 1 }], { externalId }))).body;
      const [shopFirst, shopSecond, marketSame] = [await create(shopApi, '1001'), await create(shopApi, '1002'), await create(marketApi, '1001')];
      const ids = async (query: string) => (await listAll<Order>(f.api, `/orders?${query}`)).map((order) => order.id);

      expect(await ids(`salesChannel=${shop}`)).toEqual([shopSecond.id, shopFirst.id]);
      expect(await ids(`salesChannel=${shop}&externalId=1001`)).toEqual([shopFirst.id]);
      expect(await ids('externalId=1001')).toEqual(expect.arrayContaining([shopFirst.id, marketSame.id]));
      expect(await ids(`salesChannel=${market}&externalId=1002`)).toEqual([]);
      expectValidationError(await f.api('GET', `/orders?externalId=${'x'.repeat(129)}`), 'externalId');
    });

    it('GET /orders/:id answers 404 for an unknown uuid and 400 for a non-uuid', async () => {
      expectErrorBody(await f.api('GET', `/orders/${UNKNOWN_ID}`), 404);
      expectErrorBody(await f.api('GET', '/orders/order-1'), 400);
    });

    it('GET /orders lists newest first, pages with cursor, and filters by status', async () => {
      const created: Order[] = [];
      for (let i = 0; i < 4; i++) created.push(await createOrder([{ productId: product.id, quantity: 1 }]));
      const cancelled = await f.api<Order>('POST', `/orders/${created[1].id}/cancel`);
      expect(cancelled.status).toBe(200);

      const all = await listAll<Order>(f.api, '/orders', 2);
      const ids = all.map((o) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      const times = all.map((o) => Date.parse(o.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(ids.slice(0, 4)).toEqual(created.map((o) => o.id).reverse());

      const firstPage = await f.api<Page<Order>>('GET', '/orders?limit=2');
      expect(firstPage.status).toBe(200);
      expect(firstPage.body.items.map((o) => o.id)).toEqual([created[3].id, created[2].id]);
      expect(firstPage.body.nextCursor).toEqual(expect.any(String));

      const approvedOnly = await listAll<Order>(f.api, '/orders?status=APPROVED');
      expect(approvedOnly.every((o) => o.status === 'APPROVED')).toBe(true);
      expect(approvedOnly.map((o) => o.id)).not.toContain(created[1].id);
      expect(approvedOnly.map((o) => o.id)).toContain(created[2].id);
      const cancelledOnly = await listAll<Order>(f.api, '/orders?status=CANCELLED');
      expect(cancelledOnly.map((o) => o.id)).toContain(created[1].id);
      expect(cancelledOnly.every((o) => o.status === 'CANCELLED')).toBe(true);
    });

    it('GET /orders rejects a bad limit or a malformed cursor with 400', async () => {
      expectErrorBody(await f.api('GET', '/orders?limit=0'), 400);
      expectErrorBody(await f.api('GET', '/orders?limit=201'), 400);
      expectErrorBody(await f.api('GET', '/orders?cursor=definitely-not-a-cursor'), 400);
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('cancels: 200 CANCELLED, and the reservations made by brokering are released', async () => {
      const facility = await f.createFacility();
      const p = await f.createProduct();
      await f.setStock(facility.id, p.id, 10);
      const order = await createOrder([{ productId: p.id, quantity: 3 }]);
      await f.brokerOrders(order.id);
      expect(await inventory(facility, p)).toMatchObject({ quantityOnHand: 10, quantityReserved: 3, availableToPromise: 7 });

      const response = await f.api<Order>('POST', `/orders/${order.id}/cancel`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: order.id, status: 'CANCELLED' });
      expect(await inventory(facility, p)).toMatchObject({ quantityOnHand: 10, quantityReserved: 0, availableToPromise: 10 });
      expect((await f.api<Order>('GET', `/orders/${order.id}`)).body.status).toBe('CANCELLED');
    });

    it('cancelling marks every open item CANCELLED', async () => {
      const order = await createOrder([
        { productId: product.id, quantity: 1 },
        { sku: product.sku, quantity: 2 },
      ]);
      const response = await f.api<Order>('POST', `/orders/${order.id}/cancel`);
      expect(response.status).toBe(200);
      expect(response.body.items.map((i) => i.status)).toEqual(['CANCELLED', 'CANCELLED']);
    });

    it('cancelling again answers 200 CANCELLED and does not release twice', async () => {
      const facility = await f.createFacility();
      const p = await f.createProduct();
      await f.setStock(facility.id, p.id, 5);
      const first = await createOrder([{ productId: p.id, quantity: 2 }]);
      const second = await createOrder([{ productId: p.id, quantity: 1 }]);
      await f.brokerOrders(first.id, second.id);

      expect((await f.api('POST', `/orders/${first.id}/cancel`)).status).toBe(200);
      const again = await f.api<Order>('POST', `/orders/${first.id}/cancel`);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('CANCELLED');
      expect(await inventory(facility, p)).toMatchObject({ quantityOnHand: 5, quantityReserved: 1, availableToPromise: 4 });
    });

    it('answers 404 for an unknown order and 400 for a non-uuid id', async () => {
      expectErrorBody(await f.api('POST', `/orders/${UNKNOWN_ID}/cancel`), 404);
      expectErrorBody(await f.api('POST', '/orders/abc/cancel'), 400);
    });
  });

  describe('POST /orders/:id/fulfillments', () => {
    it('ships what is allocated at the facility (on-hand and reserved drop), COMPLETED once nothing is open; cancel after a shipment is 409', async () => {
      const [east, west] = [await f.createFacility({ name: 'East' }), await f.createFacility({ name: 'West' })];
      const [a, b] = [await f.createProduct({ price: '2.00' }), await f.createProduct({ price: '5.00' })];
      await f.setStock(east.id, a.id, 10);
      await f.setStock(west.id, b.id, 4);
      const order = await createOrder([
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 1 },
      ]);
      const [itemA, itemB] = order.items;
      // No facility holds both products: brokering splits the order, each item where its stock is.
      await f.brokerOrders(order.id);

      const shipEast = await f.api<Fulfillment>('POST', `/orders/${order.id}/fulfillments`, { facilityId: east.id });
      expect(shipEast.status).toBe(201);
      expect(shipEast.body).toMatchObject({ orderId: order.id, facilityId: east.id, shippedItemIds: [itemA.id] });
      expect(shipEast.body.order.id).toBe(order.id);
      expect(shipEast.body.order.status).not.toBe('COMPLETED');
      expect(shipEast.body.order.items.find((i) => i.id === itemA.id)).toMatchObject({ status: 'SHIPPED', facilityId: east.id });
      expect(shipEast.body.order.items.find((i) => i.id === itemB.id)).toMatchObject({ status: 'ALLOCATED', facilityId: west.id });
      expect(await inventory(east, a)).toMatchObject({ quantityOnHand: 8, quantityReserved: 0, availableToPromise: 8 });

      expectErrorBody(await f.api('POST', `/orders/${order.id}/cancel`), 409);
      expect((await f.api<Order>('GET', `/orders/${order.id}`)).body.status).not.toBe('CANCELLED');

      const shipWest = await f.api<Fulfillment>('POST', `/orders/${order.id}/fulfillments`, { facilityId: west.id });
      expect(shipWest.status).toBe(201);
      expect(shipWest.body.shippedItemIds).toEqual([itemB.id]);
      expect(shipWest.body.order.status).toBe('COMPLETED');
      expect(shipWest.body.order.items.map((i) => i.status)).toEqual(['SHIPPED', 'SHIPPED']);
      expect(await inventory(west, b)).toMatchObject({ quantityOnHand: 3, quantityReserved: 0, availableToPromise: 3 });
      expect((await f.api<Order>('GET', `/orders/${order.id}`)).body.status).toBe('COMPLETED');

      expectErrorBody(await f.api('POST', `/orders/${order.id}/cancel`), 409);
    });

    it('answers 409 when no item is allocated at that facility (never allocated, or already shipped)', async () => {
      const [here, elsewhere] = [await f.createFacility(), await f.createFacility()];
      const p = await f.createProduct();
      await f.setStock(here.id, p.id, 5);
      const order = await createOrder([{ productId: p.id, quantity: 1 }]);
      expectErrorBody(await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: here.id }), 409);
      await f.brokerOrders(order.id);
      expectErrorBody(await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: elsewhere.id }), 409);
      expect((await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: here.id })).status).toBe(201);
      expectErrorBody(await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: here.id }), 409);
      expect(await inventory(here, p)).toMatchObject({ quantityOnHand: 4, quantityReserved: 0 });
    });

    it('answers 409 for a cancelled order, 404 for an unknown order, 400 for a missing facilityId', async () => {
      const facility = await f.createFacility();
      const order = await createOrder([{ productId: product.id, quantity: 1 }]);
      await f.api('POST', `/orders/${order.id}/cancel`);
      expectErrorBody(await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id }), 409);
      expectErrorBody(await f.api('POST', `/orders/${UNKNOWN_ID}/fulfillments`, { facilityId: facility.id }), 404);
      expectValidationError(await f.api('POST', `/orders/${order.id}/fulfillments`, {}), 'facilityId');
    });
  });

  describe('GET /products/:id/availability', () => {
    it('sums ATP over facilities and lists each facility', async () => {
      // South is farther from the order's address, so brokering takes the two units from north.
      const [north, south] = [await f.createFacility(), await f.createFacility({ latitude: 39.95, longitude: -75.16 })];
      const p = await f.createProduct();
      await f.setStock(north.id, p.id, 10);
      await f.setStock(south.id, p.id, 5);
      const order = await createOrder([{ productId: p.id, quantity: 2 }]);
      await f.brokerOrders(order.id);

      const response = await f.api<Availability>('GET', `/products/${p.id}/availability`);
      expect(response.status).toBe(200);
      expect(response.body.productId).toBe(p.id);
      expect(response.body.availableToPromise).toBe(13);
      expect([...response.body.facilities].sort((x, y) => x.facilityId.localeCompare(y.facilityId))).toEqual(
        [
          {
            facilityId: north.id,
            quantityOnHand: 10,
            quantityReserved: 2,
            availableToPromise: 8,
            minimumStock: 0,
            brokerable: 8,
            inTransit: 0,
            onOrder: 0,
          },
          {
            facilityId: south.id,
            quantityOnHand: 5,
            quantityReserved: 0,
            availableToPromise: 5,
            minimumStock: 0,
            brokerable: 5,
            inTransit: 0,
            onOrder: 0,
          },
        ].sort((x, y) => x.facilityId.localeCompare(y.facilityId)),
      );

      await f.api('POST', `/orders/${order.id}/cancel`);
      const after = await f.api<Availability>('GET', `/products/${p.id}/availability`);
      expect(after.body.availableToPromise).toBe(15);
    });

    it('is 0 with no facilities for a product without inventory; 404 unknown product; 400 non-uuid', async () => {
      const p = await f.createProduct();
      const response = await f.api<Availability>('GET', `/products/${p.id}/availability`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ productId: p.id, availableToPromise: 0, facilities: [] });
      expectErrorBody(await f.api('GET', `/products/${UNKNOWN_ID}/availability`), 404);
      expectErrorBody(await f.api('GET', '/products/xyz/availability'), 400);
    });
  });

  describe('idempotency', () => {
    it('20 concurrent POSTs with one Idempotency-Key: all 200/201 with one single id, and exactly one order is stored', async () => {
      const before = await allOrders();
      const key = `idem-${uniqueSuffix()}`;
      const body = orderBody([{ productId: product.id, quantity: 1 }]);
      const responses = await Promise.all(Array.from({ length: 20 }, () => f.api<Order>('POST', '/orders', body, { 'idempotency-key': key })));
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      const ids = new Set(responses.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      const after = await allOrders();
      expect(after.length - before.length).toBe(1);
      expect(after.map((o) => o.id)).toContain([...ids][0]);

      const later = await f.api<Order>('POST', '/orders', body, { 'idempotency-key': key });
      expect([200, 201]).toContain(later.status);
      expect(later.body.id).toBe([...ids][0]);
    });

    it('one Idempotency-Key sent concurrently to two instances (two processes) still gives one order', async () => {
      const second = apiClient((await f.startInstance()).url, f.key.key);
      const before = (await allOrders()).length;
      const key = `idem-${uniqueSuffix()}`;
      const body = orderBody([{ productId: product.id, quantity: 2 }]);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? f.api : second)<Order>('POST', '/orders', body, { 'idempotency-key': key })),
      );
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect((await allOrders()).length - before).toBe(1);
    });

    it('the same Idempotency-Key with a different body answers 422 and creates nothing', async () => {
      const key = `idem-${uniqueSuffix()}`;
      const first = await f.api<Order>('POST', '/orders', orderBody([{ productId: product.id, quantity: 1 }]), { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const before = (await allOrders()).length;
      const reused = await f.api('POST', '/orders', orderBody([{ productId: product.id, quantity: 5 }]), { 'idempotency-key': key });
      expectErrorBody(reused, 422);
      expect((await allOrders()).length).toBe(before);
    });

    it('the same externalId twice returns the same order', async () => {
      const externalId = `EXT-${uniqueSuffix()}`;
      const first = await createOrder([{ productId: product.id, quantity: 1 }], { externalId });
      const second = await f.api<Order>('POST', '/orders', orderBody([{ productId: product.id, quantity: 1 }], { externalId }));
      expect([200, 201]).toContain(second.status);
      expect(second.body.id).toBe(first.id);
      expect(second.body.externalId).toBe(externalId);
    });

    it('the same externalId sent 10 times concurrently gives one id and one stored order', async () => {
      const before = (await allOrders()).length;
      const externalId = `EXT-${uniqueSuffix()}`;
      const body = orderBody([{ productId: product.id, quantity: 1 }], { externalId });
      const responses = await Promise.all(Array.from({ length: 10 }, () => f.api<Order>('POST', '/orders', body)));
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const after = await allOrders();
      expect(after.length - before).toBe(1);
      expect(after.filter((o) => o.externalId === externalId)).toHaveLength(1);
    });
  });
  describe('history', () => {
    interface HistoryEntry {
      at: string;
      type: string;
      itemId?: string;
      facilityId?: string;
    }
    const historyOf = async (orderId: string) => (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${orderId}/history`)).body.items;
    const kinds = (entries: HistoryEntry[]) => entries.map(({ type, itemId, facilityId }) => [type, itemId ?? null, facilityId ?? null]);

    it('records creation, allocation, shipping and cancellation, oldest first, each in the transaction that made it', async () => {
      const facility = await f.createFacility();
      const [mug, cup] = [product, await f.createProduct()];
      await f.setStock(facility.id, mug.id, 10);
      const order = (
        await f.api<Order>(
          'POST',
          '/orders',
          orderBody([
            { productId: mug.id, quantity: 1 },
            { productId: cup.id, quantity: 1 },
          ]),
        )
      ).body;
      expect(kinds(await historyOf(order.id))).toEqual([
        ['CREATED', null, null],
        ['APPROVED', null, null],
      ]);

      await f.brokerOrders(order.id);
      const brokered = (await f.api<Order>('GET', `/orders/${order.id}`)).body;
      const [mugItem, cupItem] = brokered.items;
      expect(kinds(await historyOf(order.id))).toEqual([
        ['CREATED', null, null],
        ['APPROVED', null, null],
        ['ALLOCATED', mugItem.id, facility.id],
        ['QUEUED', cupItem.id, null],
      ]);
      // Stock arriving allocates the queued item; shipping follows.
      await f.setStock(facility.id, cup.id, 1);
      await f.brokerOrders(order.id);
      expect((await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id })).status).toBe(201);
      const entries = await historyOf(order.id);
      expect(kinds(entries).slice(4, 5)).toEqual([['ALLOCATED', cupItem.id, facility.id]]);
      // One shipment packs, then ships, both items in one statement each: within a step, entries come in no particular order.
      expect(kinds(entries).slice(5)).toHaveLength(4);
      for (const [step, type] of ['PACKED', 'SHIPPED'].entries()) {
        expect(kinds(entries).slice(5 + 2 * step, 7 + 2 * step)).toEqual(
          expect.arrayContaining([
            [type, mugItem.id, facility.id],
            [type, cupItem.id, facility.id],
          ]),
        );
      }
      for (const entry of entries) expect(entry.at).toMatch(ISO);
      expect(entries.map((entry) => entry.at)).toEqual([...entries.map((entry) => entry.at)].sort());

      const other = (await f.api<Order>('POST', '/orders', orderBody([{ productId: cup.id, quantity: 1 }]))).body;
      expect((await f.api('POST', `/orders/${other.id}/cancel`, {})).status).toBe(200);
      expect(kinds(await historyOf(other.id))).toEqual([
        ['CREATED', null, null],
        ['APPROVED', null, null],
        ['CANCELLED', other.items[0].id, null],
        ['CANCELLED', null, null],
      ]);
    });

    it("is a 404 for an unknown order and for another channel's order", async () => {
      expectErrorBody(await f.api('GET', `/orders/${UNKNOWN_ID}/history`), 404);
      const order = (await f.api<Order>('POST', '/orders', orderBody([{ productId: product.id, quantity: 1 }]))).body;
      const otherChannel = apiClient(f.url, (await f.createApiKey(undefined, { channels: [`OTHER-${uniqueSuffix()}`] })).key);
      expectErrorBody(await otherChannel('GET', `/orders/${order.id}/history`), 404);
    });
  });
});
