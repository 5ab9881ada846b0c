import {
  ADDRESS,
  apiClient,
  ApiFixture,
  ApiResponse,
  expectErrorBody,
  expectValidationError,
  Facility,
  InventoryRow,
  LedgerEntry,
  listAll,
  Page,
  Product,
  startApi,
} from '../support/api-fixture';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('inventory: absolute sets, adjustments, ledger and the no-oversell invariant', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('inventory');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const pair = async (): Promise<[Facility, Product]> => [await f.createFacility(), await f.createProduct()];
  const reserveDirectly = (facility: Facility, product: Product, quantity: number) =>
    f.sql('UPDATE inventory_item SET quantity_reserved = $3 WHERE facility_id = $1 AND product_id = $2', [facility.id, product.id, quantity]);
  const row = async (facility: Facility, product: Product) => {
    const response = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    return response.body.items[0];
  };
  const ledgerPath = (facility: Facility, product: Product) => `/inventory/${facility.id}/${product.id}/ledger`;
  const ledger = (facility: Facility, product: Product) => listAll<LedgerEntry>(f.api, ledgerPath(facility, product));

  describe('PUT /inventory/:facilityId/:productId', () => {
    it('creates the row with an absolute on-hand: 200 {facilityId, productId, quantityOnHand, quantityReserved 0, availableToPromise, updatedAt}', async () => {
      const [facility, product] = await pair();
      const response = await f.api<InventoryRow>('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 7, reason: 'cycle count' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        facilityId: facility.id,
        productId: product.id,
        quantityOnHand: 7,
        quantityReserved: 0,
        availableToPromise: 7,
        updatedAt: expect.stringMatching(ISO),
      });
    });

    it('sets the absolute value again (up or down, and to 0) without a reason', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 10);
      const down = await f.api<InventoryRow>('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 3 });
      expect(down.status).toBe(200);
      expect(down.body).toMatchObject({ quantityOnHand: 3, availableToPromise: 3 });
      const zero = await f.api<InventoryRow>('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 0 });
      expect(zero.body).toMatchObject({ quantityOnHand: 0, availableToPromise: 0 });
    });

    it('answers 404 for an unknown facility or an unknown product', async () => {
      const [facility, product] = await pair();
      expectErrorBody(await f.api('PUT', `/inventory/${UNKNOWN_ID}/${product.id}`, { quantityOnHand: 1 }), 404);
      expectErrorBody(await f.api('PUT', `/inventory/${facility.id}/${UNKNOWN_ID}`, { quantityOnHand: 1 }), 404);
    });

    it.each([
      ['a negative quantity', { quantityOnHand: -1 }],
      ['a fractional quantity', { quantityOnHand: 1.5 }],
      ['a string quantity', { quantityOnHand: 'ten' }],
      ['a missing quantity', { reason: 'x' }],
    ])('rejects %s with 400 naming quantityOnHand', async (_name, body) => {
      const [facility, product] = await pair();
      expectValidationError(await f.api('PUT', `/inventory/${facility.id}/${product.id}`, body), 'quantityOnHand');
    });

    it('answers 409 when the new on-hand is below what is reserved, and keeps the row', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 10);
      await reserveDirectly(facility, product, 4);
      expectErrorBody(await f.api('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 3 }), 409);
      const atReserved = await f.api<InventoryRow>('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 4 });
      expect(atReserved.status).toBe(200);
      expect(atReserved.body).toMatchObject({ quantityOnHand: 4, quantityReserved: 4, availableToPromise: 0 });
    });
  });

  describe('POST /inventory/adjustments', () => {
    it('applies a positive or negative delta: 201 with the row', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 5);
      const up = await f.api<InventoryRow>('POST', '/inventory/adjustments', {
        facilityId: facility.id,
        productId: product.id,
        delta: 3,
        reason: 'receipt',
      });
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({
        facilityId: facility.id,
        productId: product.id,
        quantityOnHand: 8,
        quantityReserved: 0,
        availableToPromise: 8,
      });
      const down = await f.api<InventoryRow>('POST', '/inventory/adjustments', {
        facilityId: facility.id,
        productId: product.id,
        delta: -8,
        reason: 'damaged',
      });
      expect(down.status).toBe(201);
      expect(down.body).toMatchObject({ quantityOnHand: 0, availableToPromise: 0 });
    });

    it.each([
      ['a zero delta', { delta: 0, reason: 'x' }, 'delta'],
      ['a fractional delta', { delta: 1.5, reason: 'x' }, 'delta'],
      ['a missing reason', { delta: 1 }, 'reason'],
      ['a missing delta', { reason: 'x' }, 'delta'],
      ['a non-uuid facilityId', { facilityId: 'warehouse-1', delta: 1, reason: 'x' }, 'facilityId'],
    ])('rejects %s with 400', async (_name, body, field) => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 5);
      expectValidationError(await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, ...body }), field);
      expect(await row(facility, product)).toMatchObject({ quantityOnHand: 5 });
    });

    it('answers 409 when the result would go below zero', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 2);
      expectErrorBody(
        await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: -3, reason: 'shrink' }),
        409,
      );
      expect(await row(facility, product)).toMatchObject({ quantityOnHand: 2, availableToPromise: 2 });
    });

    it('answers 409 when the result would go below what is reserved', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 10);
      await reserveDirectly(facility, product, 8);
      expectErrorBody(
        await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: -3, reason: 'shrink' }),
        409,
      );
      const ok = await f.api<InventoryRow>('POST', '/inventory/adjustments', {
        facilityId: facility.id,
        productId: product.id,
        delta: -2,
        reason: 'shrink',
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ quantityOnHand: 8, quantityReserved: 8, availableToPromise: 0 });
    });
  });

  describe('GET /inventory', () => {
    it('filters by productId, by facilityId, and by both', async () => {
      const [a, b] = [await f.createFacility(), await f.createFacility()];
      const [p, q] = [await f.createProduct(), await f.createProduct()];
      await f.setStock(a.id, p.id, 1);
      await f.setStock(b.id, p.id, 2);
      await f.setStock(a.id, q.id, 3);

      const byProduct = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?productId=${p.id}`);
      expect(byProduct.status).toBe(200);
      expect(byProduct.body.items.map((i) => [i.facilityId, i.quantityOnHand]).sort()).toEqual(
        [
          [a.id, 1],
          [b.id, 2],
        ].sort(),
      );
      for (const item of byProduct.body.items) {
        expect(item).toMatchObject({ productId: p.id, quantityReserved: 0, availableToPromise: item.quantityOnHand });
      }

      const byFacility = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${a.id}`);
      expect(byFacility.body.items.map((i) => [i.productId, i.quantityOnHand]).sort()).toEqual(
        [
          [p.id, 1],
          [q.id, 3],
        ].sort(),
      );

      expect(await row(b, p)).toMatchObject({ facilityId: b.id, productId: p.id, quantityOnHand: 2, quantityReserved: 0, availableToPromise: 2 });
    });

    it('rejects a non-uuid filter with 400', async () => {
      expectErrorBody(await f.api('GET', '/inventory?productId=abc'), 400);
      expectErrorBody(await f.api('GET', '/inventory?facilityId=abc'), 400);
    });
  });

  describe('GET /inventory/:facilityId/:productId/ledger', () => {
    it('lists every change newest first with its deltas, reason and actor', async () => {
      const [facility, product] = await pair();
      await f.api('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 7, reason: 'initial count' });
      await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: 5, reason: 'receipt' });
      await f.api('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 3, reason: 'recount' });
      await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: -10, reason: 'refused' });

      const entries = await ledger(facility, product);
      expect(entries.map((e) => [e.onHandDelta, e.reservedDelta, e.reason])).toEqual([
        [-9, 0, 'recount'],
        [5, 0, 'receipt'],
        [7, 0, 'initial count'],
      ]);
      for (const entry of entries) {
        expect(entry).toMatchObject({
          id: expect.anything(),
          onHandDelta: expect.any(Number),
          reservedDelta: 0,
          reason: expect.any(String),
          actor: expect.stringMatching(/\S/),
          orderId: null,
          createdAt: expect.stringMatching(ISO),
        });
      }
      const times = entries.map((e) => Date.parse(e.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    /** Follows nextCursor with pages of `limit`, checking that no page is longer. */
    const pages = async (facility: Facility, product: Product, limit?: number) => {
      const found: LedgerEntry[][] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ ...(limit === undefined ? {} : { limit: String(limit) }), ...(cursor ? { cursor } : {}) });
        const response: ApiResponse<Page<LedgerEntry>> = await f.api<Page<LedgerEntry>>('GET', `${ledgerPath(facility, product)}?${query}`);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(limit ?? 50);
        found.push(response.body.items);
        cursor = response.body.nextCursor;
      } while (cursor && found.length < 100);
      return found;
    };

    it('pages with limit and cursor, newest first: each change once, in order, across pages', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 1);
      for (let i = 1; i <= 11; i++) {
        await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: 1, reason: `receipt ${i}` });
      }

      const byFive = await pages(facility, product, 5);
      expect(byFive.map((page) => page.length)).toEqual([5, 5, 2]);
      const reasons = byFive.flat().map((entry) => entry.reason);
      expect(reasons).toEqual([...Array.from({ length: 11 }, (_, i) => `receipt ${11 - i}`), 'test stock']);
      const ids = byFive.flat().map((entry) => BigInt(entry.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));

      const whole = await f.api<Page<LedgerEntry>>('GET', `${ledgerPath(facility, product)}?limit=12`);
      expect(whole.body.items.map((entry) => entry.id)).toEqual(byFive.flat().map((entry) => entry.id));
      expect(whole.body.nextCursor).toBeNull();
    });

    it('pages 50 entries by default, also through entries made at the same instant (ordered by id then)', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 1);
      await f.sql(
        `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reason, actor, created_at)
         SELECT $1, $2, 0, 'same instant ' || n, 'test', now() FROM generate_series(1, 60) n`,
        [facility.id, product.id],
      );

      const byDefault = await pages(facility, product);
      expect(byDefault.map((page) => page.length)).toEqual([50, 11]);
      expect(byDefault.flat().map((entry) => entry.reason)).toEqual([
        ...Array.from({ length: 60 }, (_, i) => `same instant ${60 - i}`),
        'test stock',
      ]);
    });

    it('answers 400 for a bad limit or cursor, 404 for an unknown facility or product, and an empty page for a row never stocked', async () => {
      const [facility, product] = await pair();
      await f.setStock(facility.id, product.id, 1);
      for (const limit of ['0', '201', 'ten', '1.5']) {
        expectValidationError(await f.api('GET', `${ledgerPath(facility, product)}?limit=${limit}`), 'limit');
      }
      const productsCursor = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', UNKNOWN_ID])).toString('base64url');
      for (const cursor of ['not-a-cursor', productsCursor]) {
        expectValidationError(await f.api('GET', `${ledgerPath(facility, product)}?cursor=${cursor}`), 'cursor');
      }

      expectErrorBody(await f.api('GET', `/inventory/${UNKNOWN_ID}/${product.id}/ledger`), 404);
      expectErrorBody(await f.api('GET', `/inventory/${facility.id}/${UNKNOWN_ID}/ledger?limit=5`), 404);
      const neverStocked = await f.api<Page<LedgerEntry>>('GET', ledgerPath(facility, await f.createProduct()));
      expect(neverStocked.status).toBe(200);
      expect(neverStocked.body).toEqual({ items: [], nextCursor: null });
    });
  });

  it('invariant: on-hand 20, 50 concurrent -1 adjustments over two instances: exactly 20 succeed, 30 are 409, none 5xx, ATP never negative, ledger sums to on-hand', async () => {
    const second = await f.startInstance();
    const apis = [f.api, apiClient(second.url, f.key.key)];
    const [facility, product] = await pair();
    await f.setStock(facility.id, product.id, 20);

    const observed: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const response = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`);
        if (response.status === 200 && response.body.items[0]) observed.push(response.body.items[0].availableToPromise);
      }
    })();

    const responses: ApiResponse<InventoryRow>[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        apis[i % 2]<InventoryRow>('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: -1, reason: 'race' }),
      ),
    );
    reading = false;
    await reader;

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    for (const response of responses.filter((r) => r.status === 201)) {
      expect(response.body.availableToPromise).toBeGreaterThanOrEqual(0);
      expect(response.body.quantityOnHand).toBeGreaterThanOrEqual(0);
    }
    const seenOnHand = responses.filter((r) => r.status === 201).map((r) => r.body.quantityOnHand);
    expect(new Set(seenOnHand).size).toBe(20);
    for (const response of responses.filter((r) => r.status === 409)) expectErrorBody(response, 409);
    expect(observed.every((atp) => atp >= 0)).toBe(true);

    const final = await row(facility, product);
    expect(final).toMatchObject({ quantityOnHand: 0, quantityReserved: 0, availableToPromise: 0 });
    const entries = await ledger(facility, product);
    expect(entries.filter((e) => e.reason === 'race')).toHaveLength(20);
    expect(entries.reduce((sum, e) => sum + e.onHandDelta, 0)).toBe(final.quantityOnHand);
  });
  describe('inventory.changed outbox events', () => {
    const events = (facility: Facility, product: Product) =>
      f.sql<{ topic: string; aggregate_id: string; payload: Record<string, unknown> }>(
        `SELECT topic, aggregate_id, payload FROM outbox_event
          WHERE topic = 'inventory.changed' AND payload->>'facilityId' = $1 AND payload->>'productId' = $2 ORDER BY id`,
        [facility.id, product.id],
      );

    it('every change of a row (set, adjustment, reservation by brokering, reservation released, shipment) writes one event with the new balance; a refused change writes none', async () => {
      const [facility, product] = await pair();
      await f.api('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 10, reason: 'count' });
      await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: 5, reason: 'receipt' });
      expectErrorBody(
        await f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: -99, reason: 'too many' }),
        409,
      );
      await f.api('PUT', `/inventory/${facility.id}/${product.id}`, { quantityOnHand: 15, reason: 'same count' });

      const order = async () => {
        const response = await f.api<{ id: string }>('POST', '/orders', {
          customer: { email: 'e@example.com' },
          shippingAddress: ADDRESS,
          items: [{ productId: product.id, quantity: 2 }],
        });
        expect(response.status).toBe(201);
        await f.brokerOrders(response.body.id);
        return response.body.id;
      };
      const cancelled = await order();
      const shipped = await order();
      expect((await f.api('POST', `/orders/${cancelled}/cancel`)).status).toBe(200);
      expect((await f.api('POST', `/orders/${shipped}/fulfillments`, { facilityId: facility.id })).status).toBe(201);

      const written = await events(facility, product);
      expect(written.map((event) => event.aggregate_id)).toEqual(Array(6).fill(product.id));
      expect(written.map((event) => event.payload)).toEqual([
        expect.objectContaining({
          quantityOnHand: 10,
          quantityReserved: 0,
          availableToPromise: 10,
          onHandDelta: 10,
          reservedDelta: 0,
          reason: 'count',
          orderId: null,
        }),
        expect.objectContaining({
          quantityOnHand: 15,
          quantityReserved: 0,
          availableToPromise: 15,
          onHandDelta: 5,
          reservedDelta: 0,
          reason: 'receipt',
        }),
        ...[2, 4].map((reserved) =>
          expect.objectContaining({
            quantityOnHand: 15,
            quantityReserved: reserved,
            availableToPromise: 15 - reserved,
            onHandDelta: 0,
            reservedDelta: 2,
            reason: 'brokered',
          }),
        ),
        expect.objectContaining({
          quantityOnHand: 15,
          quantityReserved: 2,
          availableToPromise: 13,
          onHandDelta: 0,
          reservedDelta: -2,
          orderId: cancelled,
        }),
        expect.objectContaining({
          quantityOnHand: 13,
          quantityReserved: 0,
          availableToPromise: 13,
          onHandDelta: -2,
          reservedDelta: -2,
          reason: 'shipped',
          orderId: shipped,
        }),
      ]);
      expect(await row(facility, product)).toMatchObject({ quantityOnHand: 13, quantityReserved: 0 });
    });
  });
});
