import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RedisClient } from '../redis.client';
import { FixedWindowCounter, WindowCount } from './fixed-window-counter';

// INCR and PEXPIRE in one step, so a crash between them cannot leave a counter that never expires.
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

/**
 * Rate-limit counters shared by every instance through Redis (fixed one-window counters). When
 * Redis cannot be reached the limit is kept per instance instead: never a 5xx because of it.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage {
  private readonly local = new FixedWindowCounter();

  constructor(private readonly redis: RedisClient) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const count = await this.sharedIncrement(key, ttl).catch(() => this.local.increment(key, ttl));
    const secondsToReset = Math.max(1, Math.ceil(count.msUntilReset / 1000));
    const isBlocked = count.hits > limit;
    return { totalHits: count.hits, timeToExpire: secondsToReset, isBlocked, timeToBlockExpire: isBlocked ? secondsToReset : 0 };
  }

  private async sharedIncrement(key: string, windowMs: number): Promise<WindowCount> {
    const [hits, ttl] = (await this.redis.connection.eval(INCREMENT_SCRIPT, 1, `oms:rate:${key}`, windowMs)) as [number, number];
    return { hits, msUntilReset: ttl };
  }
}
