import { apiClient, ApiFixture, expectErrorBody, startApi } from '../support/api-fixture';

const LIMIT = 5;
/** Instances decide in process and reconcile with Redis every 100 ms: this is past one reconciliation of each. */
const RECONCILED_MS = 300;
const reconciled = () => new Promise((resolve) => setTimeout(resolve, RECONCILED_MS));

/** A limiter may count in clock-minute windows: keep a burst of requests inside one minute. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

describe('rate limiting per API key (RATE_LIMIT_PER_MINUTE=5), across instances', () => {
  let f: ApiFixture;
  let secondUrl: string;

  beforeAll(async () => {
    f = await startApi('ratelimit', { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    secondUrl = (await f.startInstance()).url;
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('the 6th request in a minute answers 429 with Retry-After and the error body; another API key is not limited', async () => {
    const key = await f.createApiKey();
    const other = await f.createApiKey();
    const api = apiClient(f.url, key.key);
    await awayFromMinuteBoundary();

    for (let i = 0; i < LIMIT; i++) expect((await api('GET', '/products')).status).toBe(200);
    const limited = await api('GET', '/products');
    expectErrorBody(limited, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const otherApi = apiClient(f.url, other.key);
    for (let i = 0; i < LIMIT; i++) expect((await otherApi('GET', '/products')).status).toBe(200);
  });

  it('the budget is per API key, not per route: 3 GET /products and 2 GET /facilities use it up, then POST /products and GET /orders are 429', async () => {
    const key = await f.createApiKey();
    const api = apiClient(f.url, key.key);
    await awayFromMinuteBoundary();

    for (let i = 0; i < 3; i++) expect((await api('GET', '/products')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await api('GET', '/facilities')).status).toBe(200);
    expectErrorBody(await api('POST', '/products', { sku: `RL-${key.id}`, name: 'x', price: '1.00' }), 429);
    expectErrorBody(await api('GET', '/orders'), 429);
  });

  it('counts one API key across instances: 3 requests on one and 2 on the other use the budget, the next on either is 429', async () => {
    const key = await f.createApiKey();
    const first = apiClient(f.url, key.key);
    const second = apiClient(secondUrl, key.key);
    await awayFromMinuteBoundary();

    for (let i = 0; i < 3; i++) expect((await first('GET', '/facilities')).status).toBe(200);
    await reconciled();
    for (let i = 0; i < 2; i++) expect((await second('GET', '/facilities')).status).toBe(200);
    await reconciled();
    expectErrorBody(await second('GET', '/facilities'), 429);
    expectErrorBody(await first('GET', '/facilities'), 429);
  });

  it('a concurrent burst on two instances admits at most one budget per instance (the documented bound), then both refuse', async () => {
    const key = await f.createApiKey();
    const clients = [apiClient(f.url, key.key), apiClient(secondUrl, key.key)];
    await awayFromMinuteBoundary();

    const statuses = await Promise.all(
      clients.flatMap((api) => Array.from({ length: 3 * LIMIT }, async () => (await api('GET', '/facilities')).status)),
    );
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(LIMIT);
    expect(admitted).toBeLessThanOrEqual(clients.length * LIMIT);
    await reconciled();
    for (const api of clients) expectErrorBody(await api('GET', '/facilities'), 429);
  });

  it('a request refused for a bad key is 401, not 429, and health is never limited', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await f.api('GET', '/products', undefined, { authorization: 'Bearer unknown-key-0123456789' })).status).toBe(401);
    }
    for (let i = 0; i < LIMIT + 2; i++) expect((await f.request('GET', '/health/live')).status).toBe(200);
  });
});
