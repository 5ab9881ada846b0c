import { ApiFixture, expectErrorBody, startApi, uniqueSuffix } from '../support/api-fixture';
import { PgCluster } from '../support/pg-cluster';

const RECOVERY_DEADLINE_MS = 60_000;

/**
 * With the primary stopped, requests that need it answer 503 with Retry-After (docs/api.md: dependency
 * down), never a 500; once it is started again the same process serves writes without a restart.
 * The primary stopped is a pair of the test's own, so that the suites running alongside keep theirs.
 */
describe('primary stopped and started again: 503 with Retry-After, then the app reconnects by itself', () => {
  const cluster = new PgCluster('e2e-primary-down', 5464, 5463);
  let f: ApiFixture;
  let primaryStopped = false;

  beforeAll(async () => {
    f = await startApi('primary_down', {}, await cluster.up());
  });

  afterAll(async () => {
    if (primaryStopped) await cluster.run('primary-start');
    await f?.stop();
    await cluster.run('down');
  });

  const newProduct = () => ({ sku: `DOWN-${uniqueSuffix()}`, name: 'Written while the primary was away', price: '1.00' });

  it('writes and reads answer 503 + Retry-After while it is down, then succeed once it is back', async () => {
    const product = await f.createProduct();

    primaryStopped = true;
    await cluster.run('primary-stop');

    const write = await f.api('POST', '/products', newProduct());
    expectErrorBody(write, 503);
    expect(Number(write.headers.get('retry-after'))).toBeGreaterThan(0);
    expectErrorBody(await f.api('POST', '/inventory/adjustments', { facilityId: product.id, productId: product.id, delta: 1, reason: 'x' }), 503);
    expectErrorBody(await f.api('GET', `/products/${product.id}`), 503);
    expect((await f.request('GET', '/health/ready')).status).toBe(503);
    expect((await f.request('GET', '/health/live')).status).toBe(200);

    await cluster.run('primary-start');
    primaryStopped = false;

    const statuses: number[] = [];
    const deadline = Date.now() + RECOVERY_DEADLINE_MS;
    let created = false;
    while (!created && Date.now() < deadline) {
      const response = await f.api('POST', '/products', newProduct());
      statuses.push(response.status);
      created = response.status === 201;
      if (!created) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(created).toBe(true);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect((await f.api('GET', `/products/${product.id}`)).status).toBe(200);
    expect((await f.request('GET', '/health/ready')).status).toBe(200);
    expect(f.app.child.exitCode).toBeNull();
  });
});
