export interface WindowCount {
  hits: number;
  msUntilReset: number;
}

const PURGE_ABOVE_KEYS = 10_000;

/** In-process fixed windows: the fallback when the shared counters in Redis cannot be reached. */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  increment(key: string, windowMs: number): WindowCount {
    const now = this.now();
    if (this.windows.size > PURGE_ABOVE_KEYS) this.purgeExpired(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits++;
    return { hits: window.hits, msUntilReset: window.resetAt - now };
  }

  private purgeExpired(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
