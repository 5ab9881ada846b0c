import { ApiFixture, Order, Page, Product, startApi, uniqueSuffix } from '../support/api-fixture';
import { TestRedisServer } from '../support/redis-server';

describe('the API with Redis down (cache and rate-limit store lost): degraded, not down', () => {
  const redis = new TestRedisServer();
  let f: ApiFixture;

  beforeAll(async () => {
    await redis.start();
    f = await startApi('redis_down', { REDIS_URL: redis.url, READ_FROM_REPLICA: 'true' });
  });

  afterAll(async () => {
    await f?.stop();
    await redis.stop();
  });

  it('serves writes and read-your-writes lists, and readiness stays 200 reporting redis down', async () => {
    await redis.stop();

    const sku = `NO-REDIS-${uniqueSuffix()}`;
    const created = await f.api<Product>('POST', '/products', { sku, name: 'Written without Redis', price: '4.00' });
    expect(created.status).toBe(201);
    const listed = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(sku)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p) => p.id)).toEqual([created.body.id]);

    const order = await f.api<Order>('POST', '/orders', {
      customer: { email: 'noredis@example.com' },
      shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US', latitude: 39.8, longitude: -89.6 },
      items: [{ sku, quantity: 1 }],
    });
    expect(order.status).toBe(201);
    expect((await f.api('GET', `/orders/${order.body.id}`)).status).toBe(200);

    const ready = await f.request<{ details: Record<string, { status: string }> }>('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.redis.status).toBe('down');
  });
});
