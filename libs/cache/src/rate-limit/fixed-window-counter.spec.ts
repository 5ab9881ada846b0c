import { FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  it('counts hits per key within a window and starts over after it', () => {
    let now = 1_000;
    const counter = new FixedWindowCounter(() => now);
    expect(counter.increment('a', 60_000)).toEqual({ hits: 1, msUntilReset: 60_000 });
    now += 10_000;
    expect(counter.increment('a', 60_000)).toEqual({ hits: 2, msUntilReset: 50_000 });
    expect(counter.increment('b', 60_000).hits).toBe(1);
    now += 50_000;
    expect(counter.increment('a', 60_000)).toEqual({ hits: 1, msUntilReset: 60_000 });
  });
});
