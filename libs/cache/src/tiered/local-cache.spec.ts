import { LocalCache } from './local-cache';
import { SingleFlight } from './single-flight';

const limits = { ttlMs: 60_000, maxEntries: 100, maxBytes: 1024 * 1024 };
const entry = (body: string, versions: Record<string, number> = { t: 1 }) => ({ body, versions });

describe('LocalCache', () => {
  it('serves an entry until a newer version of one of its tags is heard of', () => {
    const cache = new LocalCache(limits);
    cache.set('k', entry('v1', { a: 1, b: 4 }), cache.generation);
    expect(cache.get('k')?.body).toBe('v1');
    cache.applyVersions({ a: 1, c: 9 });
    expect(cache.get('k')?.body).toBe('v1');
    cache.applyVersions({ b: 5 });
    expect(cache.get('k')).toBeUndefined();
  });

  it('refuses an entry loaded before an eviction it raced with, or before a clear', () => {
    const cache = new LocalCache(limits);
    cache.applyVersions({ t: 2 });
    cache.set('raced', entry('old', { t: 1 }), cache.generation);
    expect(cache.get('raced')).toBeUndefined();

    const before = cache.generation;
    cache.clear();
    cache.set('stale', entry('loaded before the clear', { t: 3 }), before);
    expect(cache.get('stale')).toBeUndefined();
    cache.set('fresh', entry('loaded after', { t: 3 }), cache.generation);
    expect(cache.get('fresh')?.body).toBe('loaded after');
  });

  it('is bounded by entries and by bytes, and counts what it evicts', () => {
    let evicted = 0;
    const cache = new LocalCache({ ttlMs: 60_000, maxEntries: 3, maxBytes: 10_000 }, (count) => (evicted += count));
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, entry(key), cache.generation);
    expect([cache.size, cache.get('a'), evicted]).toEqual([3, undefined, 1]);

    cache.set('big', entry('x'.repeat(3_000)), cache.generation);
    cache.set('bigger', entry('y'.repeat(3_000)), cache.generation);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('bigger')?.body).toHaveLength(3_000);
    cache.set('too big for the cache', entry('z'.repeat(6_000)), cache.generation);
    expect(cache.get('too big for the cache')).toBeUndefined();
  });

  it('expires entries after its TTL', async () => {
    const cache = new LocalCache({ ...limits, ttlMs: 30 });
    cache.set('k', entry('v'), cache.generation);
    expect(cache.get('k')?.body).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('SingleFlight', () => {
  it('runs the work once for concurrent callers of one key, and again once it settled', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let finish: (value: number) => void = () => undefined;
    const work = () => {
      runs++;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const callers = [flights.run('k', work), flights.run('k', work), flights.run('k', work)];
    finish(7);
    expect(await Promise.all(callers)).toEqual([7, 7, 7]);
    expect(runs).toBe(1);
    const next = flights.run('k', work);
    finish(8);
    expect([await next, runs]).toEqual([8, 2]);
  });

  it('shares a failure with every waiter and does not keep it', async () => {
    const flights = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('database down'));
    await expect(Promise.all([flights.run('k', failing), flights.run('k', failing)])).rejects.toThrow('database down');
    await expect(flights.run('k', () => Promise.resolve(1))).resolves.toBe(1);
  });
});
