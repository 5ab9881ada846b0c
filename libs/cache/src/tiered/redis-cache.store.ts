import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createKeyvNonBlocking } from '@keyv/redis';
import { APP_CONFIG, AppConfig, throttledWarning, withTimeout } from '@app/platform';
import { Cache, createCache } from 'cache-manager';
import { RedisClient } from '../redis.client';
import { CacheEntry, TagVersions } from './cache-entry';

const READ_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 500;

/** Increments each tag's version and announces the new versions in one step; returns the receivers and the versions. */
const BUMP_AND_PUBLISH = `
local versions = {}
for i, key in ipairs(KEYS) do versions[ARGV[i + 2]] = redis.call('INCR', key) end
local receivers = redis.call('PUBLISH', ARGV[1], cjson.encode({ id = ARGV[2], versions = versions }))
return { receivers, cjson.encode(versions) }`;

export interface RedisRead {
  entry: CacheEntry | undefined;
  versions: TagVersions;
}

export class RedisUnavailableError extends Error {}

/**
 * The shared tier (L2) in Redis: entries through cache-manager on a Keyv Redis store, and the tag
 * version counters (never expiring) that make invalidation a counter bump instead of a key scan.
 */
@Injectable()
export class RedisCacheStore implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisCacheStore.name);
  private readonly warnThrottled = throttledWarning(this.logger);
  private readonly entries: Cache;
  readonly keyPrefix: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisClient,
  ) {
    this.keyPrefix = `${config.queuePrefix}:cache`;
    const store = createKeyvNonBlocking(config.redisUrl, { namespace: `${this.keyPrefix}:entry`, connectionTimeout: CONNECT_TIMEOUT_MS });
    store.on('error', (error: Error) => this.warnThrottled(`cache store: ${error.message}`));
    this.entries = createCache({ stores: [store] });
  }

  /** The entry stored under `key` (if any) and the current versions of `tags`; throws while Redis is unreachable. */
  async read(key: string, tags: string[]): Promise<RedisRead> {
    if (this.redis.connection.status !== 'ready') throw new RedisUnavailableError('Redis is not connected');
    const [entry, versions] = await withTimeout(
      Promise.all([this.entries.get<CacheEntry>(key), this.versionsOf(tags)]),
      READ_TIMEOUT_MS,
      'no cache read',
    );
    return { entry: entry ?? undefined, versions };
  }

  /** Best effort: a failed write only costs a later miss. */
  async write(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (this.redis.connection.status !== 'ready') return;
    await this.entries.set(key, entry, ttlMs).catch((error: Error) => this.warnThrottled(`cache write: ${error.message}`));
  }

  async versionsOf(tags: string[]): Promise<TagVersions> {
    if (tags.length === 0) return {};
    const values = await this.redis.connection.mget(...tags.map((tag) => this.versionKey(tag)));
    return Object.fromEntries(tags.map((tag, i) => [tag, Number(values[i] ?? 0)]));
  }

  /** Bumps the versions of `tags` and publishes them on `channel` as message `id`. */
  async bumpAndPublish(channel: string, id: string, tags: string[]): Promise<{ receivers: number; versions: TagVersions }> {
    const keys = tags.map((tag) => this.versionKey(tag));
    const [receivers, versions] = (await this.redis.connection.eval(BUMP_AND_PUBLISH, keys.length, ...keys, channel, id, ...tags)) as [
      number,
      string,
    ];
    return { receivers, versions: JSON.parse(versions) as TagVersions };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.entries.disconnect().catch(() => undefined);
  }

  private versionKey(tag: string): string {
    return `${this.keyPrefix}:tag:${tag}`;
  }
}
