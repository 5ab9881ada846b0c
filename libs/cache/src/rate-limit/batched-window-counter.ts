/** What a hit gets: allowed or not, and the seconds until the window (and the refusal) ends. */
export interface RateLimitVerdict {
  allowed: boolean;
  msUntilReset: number;
}

/** The hits of one key in one window that an instance sends to the shared counter in one flush. */
export interface PendingDelta {
  key: string;
  window: number;
  delta: number;
}

interface KeyWindow {
  window: number;
  /** The cluster-wide count as Redis last answered it (this instance's flushed hits included). */
  shared: number;
  /** Admitted here, not yet sent. */
  pending: number;
  /** Sent in the flush under way, not yet answered. */
  inFlight: number;
}

/**
 * Fixed clock-aligned windows (every instance agrees on where a window starts) counted in process
 * and reconciled with a shared counter in batches: a hit is decided at once on the last shared
 * count plus what this instance admitted since, and `takeBatch`/`settle` move the local deltas to
 * the shared counter and its answer back. While the shared counter cannot be reached the deltas
 * stay pending, so each instance still holds the limit on its own.
 *
 * Bound: another instance's hits become visible here at its next flush and our next one, so the
 * cluster admits at most `limit` plus what the other instances admit between two flushes.
 */
export class BatchedWindowCounter {
  private readonly keys = new Map<string, KeyWindow>();
  private pendingHits = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the hit when it is within the limit; a refused hit is not counted. */
  hit(key: string): RateLimitVerdict {
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    const msUntilReset = (window + 1) * this.windowMs - now;
    let entry = this.keys.get(key);
    if (entry === undefined || entry.window !== window) {
      entry = { window, shared: 0, pending: 0, inFlight: 0 };
      this.keys.set(key, entry);
    }
    if (entry.shared + entry.pending + entry.inFlight >= this.limit) return { allowed: false, msUntilReset };
    entry.pending++;
    this.pendingHits++;
    return { allowed: true, msUntilReset };
  }

  /** Hits admitted since the last batch was taken (to flush early on a busy instance). */
  get unsentHits(): number {
    return this.pendingHits;
  }

  /**
   * The keys of the current window to reconcile: their pending hits (0 to only read the shared
   * count) now count as in flight. Keys of past windows are forgotten.
   */
  takeBatch(): PendingDelta[] {
    const window = Math.floor(this.now() / this.windowMs);
    const batch: PendingDelta[] = [];
    for (const [key, entry] of this.keys) {
      if (entry.window !== window) {
        this.keys.delete(key);
        continue;
      }
      batch.push({ key, window, delta: entry.pending });
      entry.inFlight += entry.pending;
      entry.pending = 0;
    }
    this.pendingHits = 0;
    return batch;
  }

  /** The shared counter's answer for each key of the batch (its count after our delta), or undefined when it failed. */
  settle(batch: PendingDelta[], sharedCounts: number[] | undefined): void {
    batch.forEach((sent, i) => {
      const entry = this.keys.get(sent.key);
      if (entry === undefined || entry.window !== sent.window) return;
      entry.inFlight -= sent.delta;
      if (sharedCounts === undefined) {
        entry.pending += sent.delta;
        this.pendingHits += sent.delta;
      } else {
        entry.shared = Math.max(entry.shared, sharedCounts[i]);
      }
    });
  }
}
