import { apiClient, ApiFixture, expectErrorBody, startApi } from '../support/api-fixture';
import { TestRedisServer } from '../support/redis-server';

const LIMIT = 5;

describe('rate limiting with Redis down', () => {
  const redis = new TestRedisServer();
  let f: ApiFixture;

  beforeAll(async () => {
    await redis.start();
    f = await startApi('ratelimit_redis_down', { RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await f?.stop();
    await redis.stop();
  });

  it('keeps limiting per instance, never answering 5xx, while the shared counters are unreachable', async () => {
    const api = apiClient(f.url, (await f.createApiKey()).key);
    await redis.stop();

    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) statuses.push((await api('GET', '/products')).status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429, 429]);
    expectErrorBody(await api('GET', '/products'), 429);
  });
});
