import { apiClient, ApiCall, ApiFixture, ApiResponse, Product, startApi } from '../support/api-fixture';
import { eventually } from '../support/http';
import { TestRedisServer } from '../support/redis-server';

const cacheOf = (response: ApiResponse<unknown>) => `${response.headers.get('x-cache')} ${response.headers.get('x-cache-tier')}`;

describe('the response cache while Redis is down and after it comes back', () => {
  const redis = new TestRedisServer();
  let f: ApiFixture;
  let a: ApiCall;
  let b: ApiCall;

  beforeAll(async () => {
    await redis.start();
    // An L1 that lives for minutes: only evictions and the reset on reconnect can make it fresh.
    f = await startApi('cache_redis_down', { REDIS_URL: redis.url, CACHE_L1_TTL_MS: '600000' });
    a = f.api;
    b = apiClient((await f.startInstance()).url, f.key.key);
  });

  afterAll(async () => {
    await f?.stop();
    await redis.stop();
  });

  it('reads from the database, writes succeed, and nothing cached before the outage survives it', async () => {
    const product = await f.createProduct({ name: 'before the outage' });
    await b('GET', `/products/${product.id}`);
    expect(cacheOf(await b('GET', `/products/${product.id}`))).toBe('HIT l1');

    await redis.stop();
    const renamed = await a<Product>('PATCH', `/products/${product.id}`, { name: 'during the outage' });
    expect(renamed.status).toBe(200);
    for (const api of [a, b, b]) {
      const read = await api<Product>('GET', `/products/${product.id}`);
      expect([read.status, read.body.name, cacheOf(read)]).toEqual([200, 'during the outage', 'MISS db']);
    }
    const ready = await f.request<{ details: Record<string, { status: string }> }>('GET', '/health/ready');
    expect([ready.status, ready.body.details.redis.status]).toEqual([200, 'down']);

    // A write the caches cannot hear about, then Redis comes back: B must not revive what its L1 held.
    expect((await a('PATCH', `/products/${product.id}`, { name: 'after the outage' })).status).toBe(200);
    await redis.start();
    await eventually(async () => cacheOf(await b('GET', `/products/${product.id}`)) === 'HIT l1', 15_000, 200);
    for (const api of [a, b]) expect((await api<Product>('GET', `/products/${product.id}`)).body.name).toBe('after the outage');
  });
});
