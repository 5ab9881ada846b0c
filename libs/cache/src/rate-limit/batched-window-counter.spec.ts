import { BatchedWindowCounter } from './batched-window-counter';

const WINDOW_MS = 60_000;

/** Two instances and the shared counter they flush to (Redis' INCRBY per key and window). */
function cluster(limit: number, clock: { now: number }) {
  const shared = new Map<string, number>();
  const instance = () => new BatchedWindowCounter(limit, WINDOW_MS, () => clock.now);
  const flush = (counter: BatchedWindowCounter) => {
    const batch = counter.takeBatch();
    counter.settle(
      batch,
      batch.map(({ key, window, delta }) => {
        const total = (shared.get(`${key}:${window}`) ?? 0) + delta;
        shared.set(`${key}:${window}`, total);
        return total;
      }),
    );
  };
  return { a: instance(), b: instance(), flush, shared };
}

const admitted = (counter: BatchedWindowCounter, key: string, hits: number) =>
  Array.from({ length: hits }, () => counter.hit(key)).filter((verdict) => verdict.allowed).length;

describe('BatchedWindowCounter', () => {
  it('admits up to the limit per key in a clock-aligned window, then refuses until it ends', () => {
    const clock = { now: 10 * WINDOW_MS + 15_000 };
    const counter = new BatchedWindowCounter(3, WINDOW_MS, () => clock.now);
    expect(admitted(counter, 'k', 3)).toBe(3);
    expect(counter.hit('k')).toEqual({ allowed: false, msUntilReset: 45_000 });
    expect(counter.hit('other').allowed).toBe(true);
    clock.now += 45_000;
    expect(counter.hit('k')).toEqual({ allowed: true, msUntilReset: WINDOW_MS });
  });

  it('sees the hits other instances flushed once it flushes itself, so two instances share one budget', () => {
    const clock = { now: 5 * WINDOW_MS };
    const { a, b, flush } = cluster(5, clock);
    expect(admitted(a, 'k', 3)).toBe(3);
    flush(a);
    expect(admitted(b, 'k', 2)).toBe(2);
    flush(b);
    flush(a);
    expect(b.hit('k').allowed).toBe(false);
    expect(a.hit('k').allowed).toBe(false);
  });

  it('overshoots by at most what the other instance admitted since the last flushes', () => {
    const clock = { now: 0 };
    const { a, b, flush, shared } = cluster(100, clock);
    let total = 0;
    for (let round = 0; round < 40; round++) {
      total += admitted(a, 'k', 7) + admitted(b, 'k', 7);
      flush(a);
      flush(b);
      clock.now += 100;
    }
    expect(shared.get('k:0')).toBe(total);
    expect(total).toBeGreaterThanOrEqual(100);
    expect(total).toBeLessThanOrEqual(100 + 7);
  });

  it('keeps the hits of a failed flush pending: the limit holds locally and they reach the shared counter later', () => {
    const clock = { now: 0 };
    const { a, flush, shared } = cluster(4, clock);
    expect(admitted(a, 'k', 2)).toBe(2);
    const failed = a.takeBatch();
    expect(failed).toEqual([{ key: 'k', window: 0, delta: 2 }]);
    expect(admitted(a, 'k', 1)).toBe(1);
    a.settle(failed, undefined);
    expect(a.unsentHits).toBe(3);
    expect(admitted(a, 'k', 5)).toBe(1);
    flush(a);
    expect(shared.get('k:0')).toBe(4);
  });

  it('reads keys without new hits (delta 0) and forgets keys of past windows', () => {
    const clock = { now: 0 };
    const counter = new BatchedWindowCounter(10, WINDOW_MS, () => clock.now);
    counter.hit('k');
    expect(counter.takeBatch()).toEqual([{ key: 'k', window: 0, delta: 1 }]);
    expect(counter.takeBatch()).toEqual([{ key: 'k', window: 0, delta: 0 }]);
    clock.now += WINDOW_MS;
    expect(counter.takeBatch()).toEqual([]);
  });
});
