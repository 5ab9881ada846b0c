import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, withTimeout } from '@app/platform';
import { RedisClient } from '../redis.client';
import { BatchedWindowCounter, PendingDelta, RateLimitVerdict } from './batched-window-counter';

export type { RateLimitVerdict } from './batched-window-counter';

export const RATE_WINDOW_MS = 60_000;
/** How often each instance reconciles its counts with Redis. */
export const RATE_FLUSH_INTERVAL_MS = 100;
/** A busy instance reconciles early, after this many admitted hits. */
export const RATE_FLUSH_EVERY_HITS = 200;
/** A flush Redis does not answer gives up, and its hits wait for the next one. */
const FLUSH_TIMEOUT_MS = 1000;
/** The verdict of every hit while RATE_LIMIT_PER_MINUTE is 0 (limiting off). */
const UNLIMITED: RateLimitVerdict = { allowed: true, msUntilReset: 0 };

/**
 * Rate-limit counters per key, decided in process and shared by every instance through Redis in
 * batches: every RATE_FLUSH_INTERVAL_MS (or RATE_FLUSH_EVERY_HITS hits) one pipeline adds each
 * key's local delta to its window's counter in Redis and reads back the cluster-wide count. No
 * request waits on Redis; when Redis cannot be reached each instance keeps the limit on its own.
 * RATE_LIMIT_PER_MINUTE=0 turns limiting off: every hit is allowed and nothing is counted.
 */
@Injectable()
export class RateLimitStorage implements OnApplicationShutdown {
  private readonly counter: BatchedWindowCounter;
  private readonly enabled: boolean;
  private readonly keyPrefix: string;
  private readonly timer: NodeJS.Timeout;
  private flushing = false;

  constructor(
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.counter = new BatchedWindowCounter(config.rateLimitPerMinute, RATE_WINDOW_MS);
    this.enabled = config.rateLimitPerMinute > 0;
    this.keyPrefix = `${config.queuePrefix}:rate:`;
    this.timer = setInterval(() => void this.flush(), RATE_FLUSH_INTERVAL_MS).unref();
  }

  hit(key: string): RateLimitVerdict {
    if (!this.enabled) return UNLIMITED;
    const verdict = this.counter.hit(key);
    if (this.counter.unsentHits >= RATE_FLUSH_EVERY_HITS) void this.flush();
    return verdict;
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    const batch = this.counter.takeBatch();
    if (batch.length === 0) return;
    this.flushing = true;
    try {
      this.counter.settle(batch, await withTimeout(this.addToShared(batch), FLUSH_TIMEOUT_MS, 'no answer').catch(() => undefined));
    } finally {
      this.flushing = false;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pipeline: INCRBY (with an expiry past the window) for keys with hits, GET for the others. */
  private async addToShared(batch: PendingDelta[]): Promise<number[]> {
    const pipeline = this.redis.connection.pipeline();
    for (const { key, window, delta } of batch) {
      const redisKey = `${this.keyPrefix}${key}:${window}`;
      if (delta === 0) pipeline.get(redisKey);
      else pipeline.incrby(redisKey, delta).pexpire(redisKey, 2 * RATE_WINDOW_MS);
    }
    const replies = (await pipeline.exec()) ?? [];
    const counts: number[] = [];
    let reply = 0;
    for (const { delta } of batch) {
      const [error, value] = replies[reply];
      if (error) throw error;
      counts.push(Number(value ?? 0));
      reply += delta === 0 ? 1 : 2;
    }
    return counts;
  }
}
