import { ADDRESS, ADMIN_HEADERS, ApiFixture, apiClient, Facility, httpRequest, InventoryRow, Order, Product, startApi } from '../support/api-fixture';

const BROKERED_WITHIN_MS = 20_000;
const OPEN = new Set(['APPROVED']);

/**
 * Orders are brokered by async-worker processes: the order's outbox event is relayed into BullMQ,
 * a worker allocates its items (nearest single facility, else a split, else backorder), and stock
 * that arrives or is released re-brokers backordered items.
 */
describe('brokering by the async-worker: nearest, split, backorder, re-brokering', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('brokering');
    await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const near = { latitude: 40.75, longitude: -73.99 };
  const createOrder = async (items: { productId: string; quantity: number }[], shipTo = near) => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'b@example.com' },
      shippingAddress: { ...ADDRESS, ...shipTo },
      items,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const waitFor = async (orderId: string, done: (order: Order) => boolean = (order) => !OPEN.has(order.status)) => {
    const deadline = Date.now() + BROKERED_WITHIN_MS;
    for (;;) {
      const order = (await f.api<Order>('GET', `/orders/${orderId}`)).body;
      if (done(order)) return order;
      if (Date.now() > deadline) throw new Error(`order ${orderId} is still ${order.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stockAt = async (facility: Facility, product: Product) =>
    (await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`)).body.items[0];

  it('allocates the whole order at the nearest facility that can ship all of it', async () => {
    const product = await f.createProduct();
    const newYork = await f.createFacility({ latitude: 40.71, longitude: -74.0 });
    const chicago = await f.createFacility({ latitude: 41.88, longitude: -87.63 });
    await f.setStock(newYork.id, product.id, 5);
    await f.setStock(chicago.id, product.id, 5);

    const order = await waitFor((await createOrder([{ productId: product.id, quantity: 2 }])).id);
    expect(order.status).toBe('BROKERED');
    expect(order.items.map((item) => [item.status, item.facilityId])).toEqual([['ALLOCATED', newYork.id]]);
    expect(await stockAt(newYork, product)).toMatchObject({ quantityOnHand: 5, quantityReserved: 2, availableToPromise: 3 });
    expect(await stockAt(chicago, product)).toMatchObject({ quantityReserved: 0 });
  });

  it('prefers a farther facility that ships everything to a nearer one that ships only part', async () => {
    const [shirt, cap] = [await f.createProduct(), await f.createProduct()];
    const nearby = await f.createFacility({ latitude: 40.72, longitude: -74.0 });
    const farther = await f.createFacility({ latitude: 42.36, longitude: -71.06 });
    await f.setStock(nearby.id, shirt.id, 10);
    await f.setStock(farther.id, shirt.id, 10);
    await f.setStock(farther.id, cap.id, 10);

    const order = await waitFor(
      (
        await createOrder([
          { productId: shirt.id, quantity: 1 },
          { productId: cap.id, quantity: 1 },
        ])
      ).id,
    );
    expect(order.status).toBe('BROKERED');
    expect(order.items.map((item) => item.facilityId)).toEqual([farther.id, farther.id]);
  });

  it('safety stock: with ATP 5 and minimum stock 3 brokering allocates at most 2, and availability shows brokerable 2', async () => {
    const product = await f.createProduct();
    const store = await f.createFacility({ latitude: 40.71, longitude: -74.0 });
    await f.setStock(store.id, product.id, 5);
    const set = await f.api<InventoryRow>('PUT', `/inventory/${store.id}/${product.id}`, { minimumStock: 3 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ quantityOnHand: 5, availableToPromise: 5, minimumStock: 3, brokerable: 2 });
    const availability = await f.api<{ availableToPromise: number; brokerable: number }>('GET', `/products/${product.id}/availability`);
    expect(availability.body).toMatchObject({ availableToPromise: 5, brokerable: 2 });

    const tooMuch = await waitFor((await createOrder([{ productId: product.id, quantity: 3 }])).id);
    expect(tooMuch.items.map((item) => item.status)).toEqual(['BACKORDERED']);
    const fits = await waitFor((await createOrder([{ productId: product.id, quantity: 2 }])).id);
    expect(fits.items.map((item) => [item.status, item.facilityId])).toEqual([['ALLOCATED', store.id]]);
    expect(await stockAt(store, product)).toMatchObject({
      quantityOnHand: 5,
      quantityReserved: 2,
      availableToPromise: 3,
      minimumStock: 3,
      brokerable: 0,
    });
  });

  it('a facility with allowBrokering false is never a candidate, from the next order on', async () => {
    const product = await f.createProduct();
    const near = await f.createFacility({ latitude: 40.71, longitude: -74.0 });
    const far = await f.createFacility({ latitude: 41.88, longitude: -87.63 });
    await f.setStock(near.id, product.id, 5);
    await f.setStock(far.id, product.id, 5);
    const paused = await f.api<Facility & { allowBrokering: boolean }>('PATCH', `/facilities/${near.id}`, { allowBrokering: false });
    expect(paused.body.allowBrokering).toBe(false);

    const order = await waitFor((await createOrder([{ productId: product.id, quantity: 1 }])).id);
    expect(order.items.map((item) => [item.status, item.facilityId])).toEqual([['ALLOCATED', far.id]]);
    expect(await stockAt(near, product)).toMatchObject({ quantityReserved: 0 });
  });

  it('splits across facilities when none can ship the whole order', async () => {
    const [shirt, cap] = [await f.createProduct(), await f.createProduct()];
    const east = await f.createFacility({ latitude: 40.7, longitude: -74.1 });
    const west = await f.createFacility({ latitude: 34.05, longitude: -118.24 });
    await f.setStock(east.id, shirt.id, 3);
    await f.setStock(west.id, cap.id, 3);

    const order = await waitFor(
      (
        await createOrder([
          { productId: shirt.id, quantity: 1 },
          { productId: cap.id, quantity: 2 },
        ])
      ).id,
    );
    expect(order.status).toBe('BROKERED');
    expect(order.items.map((item) => [item.productId, item.status, item.facilityId])).toEqual([
      [shirt.id, 'ALLOCATED', east.id],
      [cap.id, 'ALLOCATED', west.id],
    ]);
  });

  it('backorders what no facility has, and allocates it by itself once stock arrives', async () => {
    const product = await f.createProduct();
    const facility = await f.createFacility();
    const order = await waitFor((await createOrder([{ productId: product.id, quantity: 4 }])).id);
    expect(order.status).toBe('BACKORDERED');
    expect(order.items[0]).toMatchObject({ status: 'BACKORDERED', facilityId: null });

    await f.setStock(facility.id, product.id, 4);
    const allocated = await waitFor(order.id, (o) => o.status === 'BROKERED');
    expect(allocated.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: facility.id });
    expect(await stockAt(facility, product)).toMatchObject({ quantityOnHand: 4, quantityReserved: 4, availableToPromise: 0 });
  });

  it('a cancel releases its reservation and re-brokering gives it to a backordered order', async () => {
    const product = await f.createProduct();
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 1);
    const first = await waitFor((await createOrder([{ productId: product.id, quantity: 1 }])).id);
    expect(first.status).toBe('BROKERED');
    const second = await waitFor((await createOrder([{ productId: product.id, quantity: 1 }])).id);
    expect(second.status).toBe('BACKORDERED');

    expect((await f.api('POST', `/orders/${first.id}/cancel`)).status).toBe(200);
    const rebrokered = await waitFor(second.id, (o) => o.status === 'BROKERED');
    expect(rebrokered.items[0].facilityId).toBe(facility.id);
    expect(await stockAt(facility, product)).toMatchObject({ quantityReserved: 1, availableToPromise: 0 });
  });

  it('invariant: 60 single-unit orders through two sync-api instances, two workers, ATP 20: 20 allocated, 40 backordered, ledger consistent', async () => {
    await f.startWorker();
    const second = await f.startInstance();
    const apis = [f.api, apiClient(second.url, f.key.key)];
    const product = await f.createProduct();
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 20);

    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        apis[i % 2]<Order>('POST', '/orders', {
          customer: { email: 'race@example.com' },
          shippingAddress: ADDRESS,
          items: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(Array(60).fill(201));
    const orders = await Promise.all(created.map((response) => waitFor(response.body.id)));

    const statuses = orders.map((order) => order.status);
    expect(statuses.filter((status) => status === 'BROKERED')).toHaveLength(20);
    expect(statuses.filter((status) => status === 'BACKORDERED')).toHaveLength(40);
    expect(await stockAt(facility, product)).toMatchObject({ quantityOnHand: 20, quantityReserved: 20, availableToPromise: 0 });
    const [ledger] = await f.sql<{ reserved: string; rows: string }>(
      `SELECT sum(reserved_delta) AS reserved, count(*) FILTER (WHERE reserved_delta > 0) AS rows
         FROM inventory_ledger WHERE facility_id = $1 AND product_id = $2`,
      [facility.id, product.id],
    );
    expect([Number(ledger.reserved), Number(ledger.rows)]).toEqual([20, 20]);
  });

  it('GET /internal/queues shows every queue with its job counts and the schedules with their next run (admin token only)', async () => {
    const product = await f.createProduct();
    await waitFor((await createOrder([{ productId: product.id, quantity: 1 }])).id);
    const overview = await httpRequest<{
      queues: { name: string; counts: Record<string, number>; schedules: { id: string; pattern: string; next: string }[] }[];
    }>(`${f.internalUrl}/internal/queues`, 'GET', undefined, ADMIN_HEADERS);
    expect(overview.status).toBe(200);
    expect(overview.body.queues.map((queue) => queue.name)).toEqual(['brokering', 'warehouse', 'maintenance']);
    const brokering = overview.body.queues[0];
    expect(brokering.counts.completed).toBeGreaterThan(0);
    expect(brokering.schedules).toEqual([expect.objectContaining({ id: 'brokering-sweep', pattern: '*/5 * * * *' })]);
    expect(Date.parse(brokering.schedules[0].next)).toBeGreaterThan(Date.now() - 1000);
    expect((await httpRequest(`${f.internalUrl}/internal/queues`, 'GET')).status).toBe(401);
    expect((await httpRequest(`${f.url}/internal/queues`, 'GET', undefined, ADMIN_HEADERS)).status).toBe(404);
  });
});
