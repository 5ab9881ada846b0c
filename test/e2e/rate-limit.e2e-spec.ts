import Redis from 'ioredis';
import { get, IncomingHttpHeaders } from 'node:http';
import { apiClient, ApiFixture, expectErrorBody, startApi } from '../support/api-fixture';
import { eventually } from '../support/http';
import { TestRedisServer } from '../support/redis-server';

const LIMIT = 5;

/**
 * The rate-limit counters in Redis as the instances use them, seen through MONITOR: instances decide
 * in process and reconcile every 100 ms (INCRBY of their new hits, GET of the keys they know), so an
 * instance knows a count once its connection has run one of those after the counter reached it.
 */
class CounterWatch {
  /** API key id -> the counter's value in Redis (the sum of every INCRBY). */
  private readonly totals = new Map<string, number>();
  /** API key id -> connection -> the counter's value when that connection last read or added to it. */
  private readonly known = new Map<string, Map<string, number>>();

  private constructor(private readonly monitor: Redis) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => this.record(args, source));
  }

  static async start(url: string): Promise<CounterWatch> {
    return new CounterWatch(await new Redis(url).monitor());
  }

  private record([command, key, delta]: string[], source: string): void {
    const apiKeyId = /:rate:([^:]+):\d+$/.exec(key ?? '')?.[1];
    const name = command.toLowerCase();
    if (apiKeyId === undefined || (name !== 'incrby' && name !== 'get')) return;
    if (name === 'incrby') this.totals.set(apiKeyId, (this.totals.get(apiKeyId) ?? 0) + Number(delta));
    const connections = this.known.get(apiKeyId) ?? new Map<string, number>();
    connections.set(source, this.totals.get(apiKeyId) ?? 0);
    this.known.set(apiKeyId, connections);
  }

  /** Resolves once `instances` instances have reconciled the key's counter since it reached `count`. */
  async reconciled(apiKeyId: string, count: number, instances: number): Promise<void> {
    await eventually(async () => [...(this.known.get(apiKeyId)?.values() ?? [])].filter((value) => value >= count).length >= instances, 10_000, 10);
  }

  stop(): void {
    this.monitor.disconnect();
  }
}

/** GET `url` from a client address of the test's choosing: any 127.x.y.z is this machine, and the app sees it as the peer. */
function getFrom(
  clientAddress: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    get(url, { localAddress: clientAddress, headers, agent: false, timeout: 10_000 }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
    }).once('error', reject);
  });
}

/** A limiter may count in clock-minute windows: keep a burst of requests inside one minute. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

describe('rate limiting (RATE_LIMIT_PER_MINUTE=5): per API key across instances, per client address for report data', () => {
  /** A Redis of the suite's own: the watch sees only its instances' commands. */
  const redis = new TestRedisServer();
  let counters: CounterWatch;
  let f: ApiFixture;
  let secondUrl: string;

  beforeAll(async () => {
    await redis.start();
    counters = await CounterWatch.start(redis.url);
    f = await startApi('ratelimit', { RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL: redis.url });
    secondUrl = (await f.startInstance()).url;
  });

  afterAll(async () => {
    await f?.stop();
    counters?.stop();
    await redis.stop();
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
    await counters.reconciled(key.id, 3, 1);
    for (let i = 0; i < 2; i++) expect((await second('GET', '/facilities')).status).toBe(200);
    await counters.reconciled(key.id, LIMIT, 2);
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
    await counters.reconciled(key.id, admitted, clients.length);
    for (const api of clients) expectErrorBody(await api('GET', '/facilities'), 429);
  });

  it('report data without a session (/reports/data) is limited per client address, also for cached answers and requests with an API key', async () => {
    const key = await f.createApiKey();
    const report = 'sales/daily?from=2026-03-01&to=2026-03-31';
    const data = `${f.url}/reports/data/${report}`;
    // The API's route has the same cache entry as /reports/data's: now in the instance's L1.
    expect((await apiClient(f.url, key.key)('GET', `/reports/${report}`)).status).toBe(200);
    await awayFromMinuteBoundary();

    const withKey = { authorization: `Bearer ${key.key}` };
    for (let i = 0; i < LIMIT; i++) {
      const response = await getFrom('127.0.0.2', data, withKey);
      expect([response.status, response.headers['x-cache-tier']]).toEqual([200, 'l1']);
    }
    const limited = await getFrom('127.0.0.2', data, withKey);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await getFrom('127.0.0.2', data)).status).toBe(429);

    // Another address has its own budget; the API key's was not spent on /reports/data.
    for (let i = 0; i < LIMIT; i++) expect((await getFrom('127.0.0.3', data)).status).toBe(200);
    expect((await getFrom('127.0.0.3', data)).status).toBe(429);
    expect((await apiClient(f.url, key.key)('GET', `/reports/${report}`)).status).toBe(200);
  });

  it('a request refused for a bad key is 401, not 429, and health is never limited', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await f.api('GET', '/products', undefined, { authorization: 'Bearer unknown-key-0123456789' })).status).toBe(401);
    }
    for (let i = 0; i < LIMIT + 2; i++) expect((await f.request('GET', '/health/live')).status).toBe(200);
  });
});
