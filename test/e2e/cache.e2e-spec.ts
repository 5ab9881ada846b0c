import {
  ADDRESS,
  ADMIN_HEADERS,
  apiClient,
  ApiCall,
  ApiFixture,
  ApiResponse,
  Availability,
  Facility,
  Order,
  Product,
  revokeApiKey,
  startApi,
} from '../support/api-fixture';
import { eventually } from '../support/http';

function cacheOf(response: ApiResponse<unknown>): string {
  return `${response.headers.get('x-cache')} ${response.headers.get('x-cache-tier')}`;
}

/** The value of one sample of the instance's /metrics (0 when absent). */
async function metric(internalUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${internalUrl}/metrics`, { headers: ADMIN_HEADERS })).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

/** No brokering job waiting or running on the fixture's queues. */
async function brokeringIdleOn(internalUrl: string): Promise<boolean> {
  const response = await fetch(`${internalUrl}/internal/queues`, { headers: ADMIN_HEADERS });
  const { queues } = (await response.json()) as { queues: { name: string; counts: Record<string, number> }[] };
  const brokering = queues.find((queue) => queue.name === 'brokering');
  return brokering !== undefined && brokering.counts.active === 0 && brokering.counts.waiting === 0;
}

describe('the response cache (L1 in process, L2 in Redis) over two instances', () => {
  let f: ApiFixture;
  let a: ApiCall;
  let b: ApiCall;
  let internalB: string;
  let bUrl: string;

  beforeAll(async () => {
    f = await startApi('cache');
    const second = await f.startInstance();
    a = f.api;
    b = apiClient(second.url, f.key.key);
    internalB = second.internalUrl!;
    bUrl = second.url;
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('answers a product from the database, then from L1 on that instance and from L2 on the other', async () => {
    const product = await f.createProduct();
    const l1 = (result: string) => metric(f.internalUrl, `cache_lookups_total{tier="l1",result="${result}"}`);
    const [missesBefore, hitsBefore] = [await l1('miss'), await l1('hit')];
    const first = await a<Product>('GET', `/products/${product.id}`);
    expect(cacheOf(first)).toBe('MISS db');
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const routeDuration = () => metric(f.internalUrl, 'http_request_duration_seconds_count{method="GET",route="/api/v1/products/:id",status="200"}');
    const durationsBefore = await routeDuration();
    const again = await a<Product>('GET', `/products/${product.id}`, undefined, { 'x-request-id': `l1-hit-${product.id}` });
    expect(cacheOf(again)).toBe('HIT l1');
    // Each lookup counted once, whichever path (the fast path or the guarded one) answered it.
    expect([(await l1('miss')) - missesBefore, (await l1('hit')) - hitsBefore]).toEqual([1, 1]);
    // An L1 hit, answered before the framework's pipeline, still carries the request id, is logged and is timed under its route.
    expect(again.headers.get('x-request-id')).toBe(`l1-hit-${product.id}`);
    expect((await routeDuration()) - durationsBefore).toBe(1);
    await eventually(
      async () => f.app.logs.some((line) => line.includes(`"reqId":"l1-hit-${product.id}"`) && line.includes('"statusCode":200')),
      2_000,
      50,
    );
    const elsewhere = await b<Product>('GET', `/products/${product.id.toUpperCase()}`);
    expect(cacheOf(elsewhere)).toBe('HIT l2');
    expect(cacheOf(await b('GET', `/products/${product.id}`))).toBe('HIT l1');
    expect(again.body).toEqual(first.body);
    expect(elsewhere.body).toEqual(first.body);
  });

  it('never serves the old product from any instance once a PATCH has returned', async () => {
    const product = await f.createProduct();
    for (let round = 0; round < 50; round++) {
      await Promise.all([a('GET', `/products/${product.id}`), b('GET', `/products/${product.id}`)]);
      const writer = round % 2 === 0 ? a : b;
      const name = `renamed ${round}`;
      expect((await writer('PATCH', `/products/${product.id}`, { name })).status).toBe(200);
      const [fromA, fromB] = await Promise.all([a<Product>('GET', `/products/${product.id}`), b<Product>('GET', `/products/${product.id}`)]);
      expect([fromA.body.name, fromB.body.name]).toEqual([name, name]);
    }
  });

  it('never serves an old facility once a PATCH has returned', async () => {
    const facility = await f.createFacility();
    expect(cacheOf(await b('GET', `/facilities/${facility.id}`))).toBe('MISS db');
    expect(cacheOf(await b('GET', `/facilities/${facility.id}`))).toBe('HIT l1');
    expect((await a('PATCH', `/facilities/${facility.id}`, { name: 'Moved' })).status).toBe(200);
    expect((await b<Facility>('GET', `/facilities/${facility.id}`)).body.name).toBe('Moved');
  });

  it('keeps availability fresh across stock writes, cancels and brokering by a worker', async () => {
    const product = await f.createProduct();
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 5);
    const atp = async (api: ApiCall) => (await api<Availability>('GET', `/products/${product.id}/availability`)).body.availableToPromise;
    expect([await atp(a), await atp(b), await atp(b)]).toEqual([5, 5, 5]);

    expect((await a('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta: 3, reason: 'received' })).status).toBe(
      201,
    );
    expect(await atp(b)).toBe(8);

    await f.startWorker();
    const brokeringIdle = () => brokeringIdleOn(f.internalUrl);
    const order = await a<Order>('POST', '/orders', {
      customer: { email: 'cache@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 2 }],
    });
    expect(order.status).toBe(201);
    // The worker's reservation is another process's write: once its job has finished, both instances show it.
    await eventually(
      async () => (await a<Order>('GET', `/orders/${order.body.id}`)).body.status === 'BROKERED' && (await brokeringIdle()),
      10_000,
      50,
    );
    expect([await atp(a), await atp(b)]).toEqual([6, 6]);

    expect((await b('POST', `/orders/${order.body.id}/cancel`)).status).toBe(200);
    expect([await atp(a), await atp(b)]).toEqual([8, 8]);
  });

  it('makes one database read per instance for concurrent misses of one key', async () => {
    const product = await f.createProduct();
    const loadsBefore = await metric(internalB, 'cache_loads_total');
    const responses = await Promise.all(Array.from({ length: 100 }, () => b<Product>('GET', `/products/${product.id}`)));
    expect(responses.every((response) => response.status === 200 && response.body.id === product.id)).toBe(true);
    expect((await metric(internalB, 'cache_loads_total')) - loadsBefore).toBe(1);
    expect(await metric(internalB, 'cache_lookups_total{tier="l1",result="hit"}')).toBeGreaterThan(0);
  });

  it('serves an L1 hit only to a valid, unrevoked key within its rate limit', async () => {
    const product = await f.createProduct();
    const limited = await f.startInstance({ RATE_LIMIT_PER_MINUTE: '3' });
    const key = await f.createApiKey();
    const viaKey = apiClient(limited.url, key.key);
    const path = `/products/${product.id}`;
    expect(cacheOf(await viaKey('GET', path))).toBe('MISS db');
    expect(cacheOf(await viaKey('GET', path))).toBe('HIT l1');
    expect((await viaKey('GET', path, undefined, { authorization: undefined })).status).toBe(401);
    expect((await viaKey('GET', path, undefined, { authorization: 'Bearer oms_not-a-key' })).status).toBe(401);
    expect((await viaKey('GET', path)).status).toBe(200);
    expect((await viaKey('GET', path)).status).toBe(429);

    const other = await f.createApiKey();
    const otherOnB = apiClient(bUrl, other.key);
    expect((await otherOnB('GET', path)).status).toBe(200);
    expect(cacheOf(await otherOnB('GET', path))).toBe('HIT l1');
    expect((await revokeApiKey(f.internalUrl, other.id)).status).toBe(204);
    await eventually(async () => (await otherOnB('GET', path)).status === 401, 2_000, 50);
  });

  it('does not cache errors', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 2; i++) {
      const response = await b('GET', `/products/${unknown}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('x-cache')).toBeNull();
    }
  });
});
