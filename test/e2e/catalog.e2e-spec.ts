import { ApiFixture, expectErrorBody, expectValidationError, Facility, listAll, Page, Product, startApi, uniqueSuffix } from '../support/api-fixture';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('catalog: products and facilities', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('catalog');
  });

  afterAll(async () => {
    await f?.stop();
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', { authorization: undefined }],
      ['an unknown API key', { authorization: 'Bearer not-a-real-key-0123456789abcdef' }],
      ['the admin token instead of an API key', { authorization: 'Bearer test-admin-token-0123456789' }],
      ['a Basic scheme', { authorization: 'Basic dGVzdDp0ZXN0' }],
      ['an empty Bearer', { authorization: 'Bearer ' }],
    ])('answers 401 with the error body for %s', async (_name, headers) => {
      for (const [method, path, body] of [
        ['GET', '/products', undefined],
        ['POST', '/products', { sku: `AUTH-${uniqueSuffix()}`, name: 'x', price: '1.00' }],
        ['GET', '/facilities', undefined],
        ['GET', `/products/${UNKNOWN_ID}`, undefined],
        ['GET', '/orders', undefined],
        ['GET', '/inventory', undefined],
      ] as const) {
        const response = await f.api(method, path, body, headers);
        expectErrorBody(response, 401);
        expect(response.body).toMatchObject({ error: 'Unauthorized' });
      }
    });

    it('does not create anything for a request that was refused 401', async () => {
      const sku = `AUTH-${uniqueSuffix()}`;
      const refused = await f.api('POST', '/products', { sku, name: 'x', price: '1.00' }, { authorization: undefined });
      expect(refused.status).toBe(401);
      const list = await f.api<Page<Product>>('GET', `/products?sku=${sku}`);
      expect(list.body.items).toEqual([]);
    });
  });

  describe('products', () => {
    it('POST /products creates a product: 201 with id, decimal-string price, default currency USD and timestamps', async () => {
      const sku = `SKU-${uniqueSuffix()}`;
      const response = await f.api<Product>('POST', '/products', { sku, name: 'Blue mug', price: '19.99' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(UUID),
        sku,
        name: 'Blue mug',
        price: '19.99',
        currency: 'USD',
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });
    });

    it.each([
      [19.99, '19.99'],
      ['19.99', '19.99'],
      [5, '5.00'],
      ['5', '5.00'],
      ['0.5', '0.50'],
      [0, '0.00'],
    ])('accepts price %p and returns it as the 2-decimal string %p', async (price, expected) => {
      const response = await f.api<Product>('POST', '/products', { sku: `SKU-${uniqueSuffix()}`, name: 'Priced', price });
      expect(response.status).toBe(201);
      expect(response.body.price).toBe(expected);
    });

    it('accepts an explicit currency', async () => {
      const response = await f.api<Product>('POST', '/products', { sku: `SKU-${uniqueSuffix()}`, name: 'Euro', price: '3.10', currency: 'EUR' });
      expect(response.status).toBe(201);
      expect(response.body.currency).toBe('EUR');
    });

    it.each([
      ['a negative price (number)', -1],
      ['a negative price (string)', '-0.01'],
      ['a price with more than 2 decimals (number)', 19.999],
      ['a price with more than 2 decimals (string)', '19.999'],
      ['a price that is not a number', 'abc'],
    ])('rejects %s with 400 naming the field "price"', async (_name, price) => {
      const response = await f.api('POST', '/products', { sku: `SKU-${uniqueSuffix()}`, name: 'Bad price', price });
      expectValidationError(response, 'price');
    });

    it('rejects a missing sku with 400 naming the field "sku"', async () => {
      expectValidationError(await f.api('POST', '/products', { name: 'No sku', price: '1.00' }), 'sku');
    });

    it('rejects an unknown property with 400', async () => {
      expectValidationError(await f.api('POST', '/products', { sku: `SKU-${uniqueSuffix()}`, name: 'x', price: '1.00', colour: 'red' }));
    });

    it('answers 409 for a duplicate SKU and keeps the first product unchanged', async () => {
      const first = await f.createProduct({ name: 'Original', price: '1.00' });
      const duplicate = await f.api('POST', '/products', { sku: first.sku, name: 'Impostor', price: '2.00' });
      expectErrorBody(duplicate, 409);
      const list = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(first.sku)}`);
      expect(list.body.items).toEqual([expect.objectContaining({ id: first.id, name: 'Original', price: '1.00' })]);
    });

    it('GET /products/:id returns the product', async () => {
      const product = await f.createProduct({ name: 'Fetched', price: '7.25' });
      const response = await f.api<Product>('GET', `/products/${product.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(product);
    });

    it('GET /products/:id answers 404 for an unknown uuid', async () => {
      expectErrorBody(await f.api('GET', `/products/${UNKNOWN_ID}`), 404);
    });

    it('GET /products/:id answers 400 for an id that is not a uuid', async () => {
      expectErrorBody(await f.api('GET', '/products/not-a-uuid'), 400);
      expectErrorBody(await f.api('GET', '/products/12345'), 400);
    });

    it('GET /products?sku= returns exactly the product with that SKU', async () => {
      const product = await f.createProduct();
      await f.createProduct();
      const response = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(product.sku)}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [product], nextCursor: null });
      const none = await f.api<Page<Product>>('GET', `/products?sku=NO-SUCH-${uniqueSuffix()}`);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('GET /products pages with limit and cursor, oldest first, each product once', async () => {
      const created: Product[] = [];
      for (let i = 0; i < 5; i++) created.push(await f.createProduct({ name: `Paged ${i}` }));
      const all = await listAll<Product>(f.api, '/products', 2);
      const ids = all.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const createdAt = all.map((p) => Date.parse(p.createdAt));
      expect(createdAt).toEqual([...createdAt].sort((a, b) => a - b));
      const positions = created.map((p) => ids.indexOf(p.id));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      const firstPage = await f.api<Page<Product>>('GET', '/products?limit=2');
      expect(firstPage.body.items).toHaveLength(2);
      expect(typeof firstPage.body.nextCursor).toBe('string');
    });

    it('GET /products defaults to a limit of 50 and accepts 1 and 200', async () => {
      const existing = (await listAll<Product>(f.api, '/products')).length;
      for (let i = existing; i <= 50; i++) await f.createProduct();
      const defaultPage = await f.api<Page<Product>>('GET', '/products');
      expect(defaultPage.status).toBe(200);
      expect(defaultPage.body.items).toHaveLength(50);
      expect(defaultPage.body.nextCursor).toEqual(expect.any(String));
      expect((await f.api<Page<Product>>('GET', '/products?limit=1')).body.items).toHaveLength(1);
      expect((await f.api('GET', '/products?limit=200')).status).toBe(200);
    });

    it.each(['0', '201', '-1', 'abc', '1.5'])('GET /products?limit=%s answers 400', async (limit) => {
      expectErrorBody(await f.api('GET', `/products?limit=${limit}`), 400);
    });

    it.each(['not-a-cursor', '%%%', 'eyJmb28iOiJiYXIifQ', 'AAAA'])('GET /products?cursor=%s (malformed) answers 400', async (cursor) => {
      expectErrorBody(await f.api('GET', `/products?cursor=${encodeURIComponent(cursor)}`), 400);
    });

    it('PATCH /products/:id updates name and price: 200 with the product, and GET shows the change', async () => {
      const product = await f.createProduct({ name: 'Before', price: '1.00' });
      const response = await f.api<Product>('PATCH', `/products/${product.id}`, { name: 'After', price: 2.5 });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: product.id, sku: product.sku, name: 'After', price: '2.50', currency: product.currency });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
      expect((await f.api<Product>('GET', `/products/${product.id}`)).body).toMatchObject({ name: 'After', price: '2.50' });
      const priceOnly = await f.api<Product>('PATCH', `/products/${product.id}`, { price: '3.75' });
      expect(priceOnly.body).toMatchObject({ name: 'After', price: '3.75' });
    });

    it('PATCH /products/:id rejects an unknown or immutable field (sku) with 400 and changes nothing', async () => {
      const product = await f.createProduct({ name: 'Immutable' });
      expectValidationError(await f.api('PATCH', `/products/${product.id}`, { sku: `NEW-${uniqueSuffix()}` }));
      expectValidationError(await f.api('PATCH', `/products/${product.id}`, { name: 'Changed', bogus: true }));
      expect((await f.api<Product>('GET', `/products/${product.id}`)).body).toEqual(product);
    });

    it('PATCH /products/:id rejects a bad price with 400 naming "price"', async () => {
      const product = await f.createProduct();
      expectValidationError(await f.api('PATCH', `/products/${product.id}`, { price: '-3' }), 'price');
      expectValidationError(await f.api('PATCH', `/products/${product.id}`, { price: '1.234' }), 'price');
    });

    it('PATCH /products/:id answers 404 for an unknown uuid and 400 for a non-uuid', async () => {
      expectErrorBody(await f.api('PATCH', `/products/${UNKNOWN_ID}`, { name: 'Nobody' }), 404);
      expectErrorBody(await f.api('PATCH', '/products/nope', { name: 'Nobody' }), 400);
    });
  });

  describe('facilities', () => {
    const facilityBody = (overrides: Record<string, unknown> = {}) => ({
      code: `FAC-${uniqueSuffix()}`,
      name: 'Brooklyn DC',
      type: 'WAREHOUSE',
      latitude: 40.6782,
      longitude: -73.9442,
      ...overrides,
    });

    it('POST /facilities creates a facility: 201 with numeric coordinates, flags and timestamps', async () => {
      const body = facilityBody({ canShip: true, canPickup: true });
      const response = await f.api<Facility>('POST', '/facilities', body);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(UUID),
        code: body.code,
        name: 'Brooklyn DC',
        type: 'WAREHOUSE',
        latitude: 40.6782,
        longitude: -73.9442,
        canShip: true,
        canPickup: true,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });
    });

    it('POST /facilities without canShip/canPickup gives boolean defaults; type STORE is accepted', async () => {
      const response = await f.api<Facility>('POST', '/facilities', facilityBody({ type: 'STORE' }));
      expect(response.status).toBe(201);
      expect(response.body.type).toBe('STORE');
      expect(typeof response.body.canShip).toBe('boolean');
      expect(typeof response.body.canPickup).toBe('boolean');
    });

    it('answers 409 for a duplicate facility code', async () => {
      const first = await f.createFacility();
      expectErrorBody(await f.api('POST', '/facilities', facilityBody({ code: first.code })), 409);
    });

    it.each([
      ['latitude 91', { latitude: 91 }, 'latitude'],
      ['latitude -90.5', { latitude: -90.5 }, 'latitude'],
      ['longitude 181', { longitude: 181 }, 'longitude'],
      ['type DEPOT', { type: 'DEPOT' }, 'type'],
      ['latitude as a string', { latitude: 'north' }, 'latitude'],
      ['a missing code', { code: undefined }, 'code'],
    ])('POST /facilities rejects %s with 400', async (_name, overrides, field) => {
      expectValidationError(await f.api('POST', '/facilities', facilityBody(overrides)), field);
    });

    it('GET /facilities/:id returns the facility; 404 unknown; 400 non-uuid', async () => {
      const facility = await f.createFacility({ name: 'Fetched facility' });
      const response = await f.api<Facility>('GET', `/facilities/${facility.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(facility);
      expectErrorBody(await f.api('GET', `/facilities/${UNKNOWN_ID}`), 404);
      expectErrorBody(await f.api('GET', '/facilities/xyz'), 400);
    });

    it('GET /facilities pages with limit and cursor, oldest first, each facility once', async () => {
      const created: Facility[] = [];
      for (let i = 0; i < 5; i++) created.push(await f.createFacility({ name: `Paged facility ${i}` }));
      const all = await listAll<Facility>(f.api, '/facilities', 2);
      const ids = all.map((facility) => facility.id);
      expect(new Set(ids).size).toBe(ids.length);
      const createdAt = all.map((facility) => Date.parse(facility.createdAt));
      expect(createdAt).toEqual([...createdAt].sort((a, b) => a - b));
      const positions = created.map((facility) => ids.indexOf(facility.id));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });

    it('GET /facilities rejects limit 0 / 201 and a malformed cursor with 400', async () => {
      expectErrorBody(await f.api('GET', '/facilities?limit=0'), 400);
      expectErrorBody(await f.api('GET', '/facilities?limit=201'), 400);
      expectErrorBody(await f.api('GET', '/facilities?cursor=garbage'), 400);
    });

    it('PATCH /facilities/:id updates fields: 200, and GET shows the change', async () => {
      const facility = await f.createFacility({ name: 'Old name', canPickup: false });
      const response = await f.api<Facility>('PATCH', `/facilities/${facility.id}`, { name: 'New name', canPickup: true });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: facility.id, code: facility.code, name: 'New name', canPickup: true });
      expect((await f.api<Facility>('GET', `/facilities/${facility.id}`)).body).toMatchObject({ name: 'New name', canPickup: true });
    });

    it('PATCH /facilities/:id rejects bad values and unknown fields with 400; 404 for an unknown id', async () => {
      const facility = await f.createFacility();
      expectValidationError(await f.api('PATCH', `/facilities/${facility.id}`, { latitude: 100 }), 'latitude');
      expectValidationError(await f.api('PATCH', `/facilities/${facility.id}`, { bogus: 1 }));
      expectErrorBody(await f.api('PATCH', `/facilities/${UNKNOWN_ID}`, { name: 'x' }), 404);
      expect((await f.api<Facility>('GET', `/facilities/${facility.id}`)).body).toEqual(facility);
    });
  });

  it('the outbox events of a product or facility change carry the request id, as order events do', async () => {
    const [product, facility] = await Promise.all([f.createProduct(), f.createFacility()]);
    const requestId = `catalog-${uniqueSuffix()}`;
    expect((await f.api('PATCH', `/products/${product.id}`, { name: 'Renamed' }, { 'x-request-id': `${requestId}-p` })).status).toBe(200);
    expect((await f.api('PATCH', `/facilities/${facility.id}`, { name: 'Renamed' }, { 'x-request-id': `${requestId}-f` })).status).toBe(200);
    const events = await f.sql<{ topic: string; aggregate_id: string; request_id: string }>(
      'SELECT topic, aggregate_id, request_id FROM outbox_event WHERE aggregate_id = ANY($1) ORDER BY id',
      [[product.id, facility.id]],
    );
    expect(events).toEqual([
      { topic: 'product.changed', aggregate_id: product.id, request_id: `${requestId}-p` },
      { topic: 'facility.changed', aggregate_id: facility.id, request_id: `${requestId}-f` },
    ]);
  });
  describe('facility groups', () => {
    interface Group {
      id: string;
      code: string;
      type: string;
      members: { facilityId: string; sequence: number }[];
    }

    it('creates a group, puts facilities in it in sequence, moves and removes them', async () => {
      const [first, second] = await Promise.all([f.createFacility(), f.createFacility()]);
      const code = `GRP-${uniqueSuffix()}`;
      const created = await f.api<Group>('POST', '/facility-groups', { code, name: 'New York stores', type: 'BROKERING' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ code, type: 'BROKERING', members: [] });
      const id = created.body.id;
      expectErrorBody(await f.api('POST', '/facility-groups', { code, name: 'again', type: 'BROKERING' }), 409);

      expect((await f.api<Group>('PUT', `/facility-groups/${id}/members/${first.id}`, { sequence: 20 })).status).toBe(200);
      const both = await f.api<Group>('PUT', `/facility-groups/${id}/members/${second.id}`, { sequence: 10 });
      expect(both.body.members).toEqual([
        { facilityId: second.id, sequence: 10 },
        { facilityId: first.id, sequence: 20 },
      ]);
      const moved = await f.api<Group>('PUT', `/facility-groups/${id}/members/${second.id}`, { sequence: 30 });
      expect(moved.body.members.map((member) => member.facilityId)).toEqual([first.id, second.id]);

      expect((await f.api('DELETE', `/facility-groups/${id}/members/${first.id}`)).status).toBe(204);
      expectErrorBody(await f.api('DELETE', `/facility-groups/${id}/members/${first.id}`), 404);
      expect((await f.api<Group>('GET', `/facility-groups/${id}`)).body.members).toEqual([{ facilityId: second.id, sequence: 30 }]);
      const listed = await listAll<Group>(f.api, '/facility-groups');
      expect(listed.find((group) => group.id === id)?.members).toEqual([{ facilityId: second.id, sequence: 30 }]);
    });

    it('answers 404 for an unknown group or facility and 400 for a bad body, storing nothing', async () => {
      const facility = await f.createFacility();
      const group = (await f.api<Group>('POST', '/facility-groups', { code: `GRP-${uniqueSuffix()}`, name: 'g', type: 'PICKUP' })).body;
      expectErrorBody(await f.api('PUT', `/facility-groups/${UNKNOWN_ID}/members/${facility.id}`, { sequence: 1 }), 404);
      expectErrorBody(await f.api('PUT', `/facility-groups/${group.id}/members/${UNKNOWN_ID}`, { sequence: 1 }), 404);
      expectErrorBody(await f.api('GET', `/facility-groups/${UNKNOWN_ID}`), 404);
      expectValidationError(await f.api('PUT', `/facility-groups/${group.id}/members/${facility.id}`, { sequence: -1 }), 'sequence');
      expectValidationError(await f.api('POST', '/facility-groups', { code: `GRP-${uniqueSuffix()}`, name: 'g', type: 'ZONE' }), 'type');
      expect((await f.api<Group>('GET', `/facility-groups/${group.id}`)).body.members).toEqual([]);
    });
  });
});
