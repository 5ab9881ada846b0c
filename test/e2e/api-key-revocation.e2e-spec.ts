import { randomUUID } from 'node:crypto';
import { apiClient, ApiFixture, expectErrorBody, revokeApiKey, startApi } from '../support/api-fixture';
import { TestRedisServer } from '../support/redis-server';

const WITHIN_MS = 1000;

/** Polls both instances with the key until each refuses it; the time from the revocation's 204 until both did. */
async function msUntilRefusedEverywhere(urls: string[], key: string, revokedAt: number): Promise<number> {
  const pending = new Set(urls);
  while (pending.size > 0 && Date.now() - revokedAt < 3 * WITHIN_MS) {
    for (const url of [...pending]) if ((await apiClient(url, key)('GET', '/facilities?limit=1')).status === 401) pending.delete(url);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return pending.size === 0 ? Date.now() - revokedAt : Number.POSITIVE_INFINITY;
}

async function revokeAndMeasure(f: ApiFixture, secondUrl: string): Promise<void> {
  const key = await f.createApiKey();
  for (const url of [f.url, secondUrl]) expect((await apiClient(url, key.key)('GET', '/facilities?limit=1')).status).toBe(200);

  expect((await revokeApiKey(f.internalUrl, key.id)).status).toBe(204);
  const revokedAt = Date.now();
  expect(await msUntilRefusedEverywhere([f.url, secondUrl], key.key, revokedAt)).toBeLessThan(WITHIN_MS);
  expectErrorBody(await apiClient(secondUrl, key.key)('GET', '/facilities?limit=1'), 401);
}

describe('DELETE /internal/api-keys/:id: the key is refused on every instance within a second', () => {
  let f: ApiFixture;
  let secondUrl: string;

  beforeAll(async () => {
    f = await startApi('revocation');
    secondUrl = (await f.startInstance()).url;
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('a key used on two instances is refused (401) on both within 1 s of its revocation on one', async () => {
    await revokeAndMeasure(f, secondUrl);
  });

  it('records the time of revocation, answers 204 again for a revoked key, 404 for an unknown id and 400 for a malformed one', async () => {
    const key = await f.createApiKey();
    expect((await revokeApiKey(f.internalUrl, key.id)).status).toBe(204);
    const [row] = await f.sql<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_key WHERE id = $1', [key.id]);
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect((await revokeApiKey(f.internalUrl, key.id)).status).toBe(204);
    expectErrorBody(await revokeApiKey(f.internalUrl, randomUUID()), 404);
    expectErrorBody(await revokeApiKey(f.internalUrl, 'not-a-uuid'), 400);
  });
});

describe('API key revocation with Redis down', () => {
  const redis = new TestRedisServer();
  let f: ApiFixture;
  let secondUrl: string;

  beforeAll(async () => {
    await redis.start();
    f = await startApi('revocation_redis_down', { REDIS_URL: redis.url });
    secondUrl = (await f.startInstance()).url;
  });

  afterAll(async () => {
    await f?.stop();
    await redis.stop();
  });

  it('still refuses a revoked key on both instances within 1 s', async () => {
    await redis.stop();
    await revokeAndMeasure(f, secondUrl);
  });
});
