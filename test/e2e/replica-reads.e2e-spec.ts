import { Client } from 'pg';
import { apiClient, ApiFixture, Facility, Order, Page, Product, startApi, uniqueSuffix } from '../support/api-fixture';
import { eventually } from '../support/http';
import { PgCluster } from '../support/pg-cluster';

describe('replica reads (READ_FROM_REPLICA=true): read-your-writes and fallback to the primary', () => {
  /** Replay is paused and the replica stopped on a pair of the suite's own, so that the suites running alongside keep theirs. */
  const cluster = new PgCluster('e2e-replica-reads', 5484, 5483);
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('replica', { READ_FROM_REPLICA: 'true' }, await cluster.up());
  });

  afterAll(async () => {
    await f?.stop();
    await cluster.run('down');
  });

  const replicaRows = async (text: string, values: unknown[]) => {
    const replica = new Client({ connectionString: f.databases.replicaUrl });
    await replica.connect();
    try {
      return (await replica.query(text, values)).rows;
    } finally {
      await replica.end();
    }
  };

  it('a client sees its own new product in a list right after creating it, while replay on the replica is paused', async () => {
    // The replica must have replayed the test database's schema before it is paused, or every read
    // would fall back to the primary and the test would prove nothing.
    await eventually(async () => Array.isArray(await replicaRows('SELECT 1 FROM product LIMIT 1', [])), 30_000);
    await cluster.run('replica-pause');
    try {
      const sku = `RYW-${uniqueSuffix()}`;
      const created = await f.api<Product>('POST', '/products', { sku, name: 'Written while the replica lags', price: '12.00' });
      expect(created.status).toBe(201);
      // The scenario is real: the replica does not have the row.
      expect(await replicaRows('SELECT id FROM product WHERE id = $1', [created.body.id])).toEqual([]);

      const bySku = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(sku)}`);
      expect(bySku.status).toBe(200);
      expect(bySku.body.items).toEqual([created.body]);

      const list = await f.api<Page<Product>>('GET', '/products?limit=200');
      expect(list.body.items.map((p) => p.id)).toContain(created.body.id);

      const updated = await f.api<Product>('PATCH', `/products/${created.body.id}`, { name: 'Renamed while the replica lags', price: '13.50' });
      expect(updated.status).toBe(200);
      const afterUpdate = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(sku)}`);
      expect(afterUpdate.body.items).toEqual([
        expect.objectContaining({ id: created.body.id, name: 'Renamed while the replica lags', price: '13.50' }),
      ]);

      const facility = await f.api<Facility>('POST', '/facilities', {
        code: `RYW-${uniqueSuffix()}`,
        name: 'Lagging facility',
        type: 'STORE',
        latitude: 1,
        longitude: 1,
      });
      expect(facility.status).toBe(201);
      const facilities = await f.api<Page<Facility>>('GET', '/facilities?limit=200');
      expect(facilities.body.items.map((x) => x.id)).toContain(facility.body.id);

      const order = await f.api<Order>('POST', '/orders', {
        customer: { email: 'lag@example.com' },
        shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US', latitude: 39.8, longitude: -89.6 },
        items: [{ productId: created.body.id, quantity: 1 }],
      });
      expect(order.status).toBe(201);
      const orders = await f.api<Page<Order>>('GET', '/orders?limit=10');
      expect(orders.body.items.map((o) => o.id)).toContain(order.body.id);
    } finally {
      await cluster.run('replica-resume');
    }
  });

  it('while the replica is only just behind, the writer reads from the primary and another client reads the replica', async () => {
    // A write the replica has replayed a moment ago keeps its lag under the 5 s bound, so only the
    // read-your-writes check (not the lag check) can send the writer to the primary.
    const warmUp = await f.createProduct({ name: 'Replayed before the pause' });
    await eventually(async () => (await replicaRows('SELECT 1 FROM product WHERE id = $1', [warmUp.id])).length === 1, 30_000, 50);
    const other = apiClient(f.url, (await f.createApiKey()).key);
    await cluster.run('replica-pause');
    try {
      const sku = `RYW-LAG-${uniqueSuffix()}`;
      const created = await f.api<Product>('POST', '/products', { sku, name: 'Written just now', price: '3.00' });
      expect(created.status).toBe(201);

      const own = await f.api<Page<Product>>('GET', `/products?sku=${encodeURIComponent(sku)}`);
      expect(own.body.items.map((p) => p.id)).toEqual([created.body.id]);

      const stale = await other<Page<Product>>('GET', `/products?sku=${encodeURIComponent(sku)}`);
      expect(stale.status).toBe(200);
      expect(stale.body.items).toEqual([]);
    } finally {
      await cluster.run('replica-resume');
    }
  });

  it('with the replica stopped, list reads still answer 200 (fallback to the primary), also for a client that never wrote', async () => {
    const product = await f.createProduct({ name: 'Before the replica stops' });
    const other = await f.createApiKey();
    const reader = apiClient(f.url, other.key);
    await cluster.run('replica-stop');
    try {
      for (const api of [f.api, reader]) {
        const products = await api<Page<Product>>('GET', '/products?limit=200');
        expect(products.status).toBe(200);
        expect(products.body.items.map((p) => p.id)).toContain(product.id);
        expect((await api('GET', `/products?sku=${encodeURIComponent(product.sku)}`)).status).toBe(200);
        expect((await api('GET', '/facilities')).status).toBe(200);
        expect((await api('GET', '/orders')).status).toBe(200);
        expect((await api('GET', `/inventory?productId=${product.id}`)).status).toBe(200);
      }
      const written = await f.createProduct({ name: 'Written while the replica is down' });
      const list = await reader<Page<Product>>('GET', `/products?sku=${encodeURIComponent(written.sku)}`);
      expect(list.status).toBe(200);
    } finally {
      await cluster.run('replica-start');
    }
  });
});
