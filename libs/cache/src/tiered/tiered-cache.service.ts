import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { CacheEntry, matchesVersions } from './cache-entry';
import { CacheMetrics } from './cache-metrics';
import { InvalidationBus } from './invalidation-bus';
import { LocalCache } from './local-cache';
import { RedisCacheStore, RedisRead } from './redis-cache.store';
import { SingleFlight } from './single-flight';

export type CacheOutcome = 'l1' | 'l2' | 'miss';

export interface CachedBody {
  /** The serialised JSON body. */
  body: string;
  /** Which tier answered, or `miss` when the database did. */
  from: CacheOutcome;
}

export interface CacheRequest {
  key: string;
  tags: string[];
  ttlMs: number;
  /** Reads the value from the source of truth; its JSON is what is cached. */
  load: () => Promise<unknown>;
}

/**
 * Read-through cache of serialised responses: L1 (in process, only while this instance hears
 * evictions), then L2 (Redis, entries checked against their tags' current versions), then the
 * loader, once per key at a time per instance.
 */
@Injectable()
export class TieredCache implements OnModuleInit {
  private readonly local: LocalCache;
  private readonly localEnabled: boolean;
  private readonly enabled: boolean;
  private readonly flights = new SingleFlight<CachedBody>();
  private readonly l1Hit;
  private readonly l1Miss;
  private readonly l1Bypass;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: RedisCacheStore,
    private readonly bus: InvalidationBus,
    private readonly metrics: CacheMetrics,
  ) {
    const evictedByLru = metrics.evictions.labels('l1', 'lru');
    this.local = new LocalCache({ ttlMs: config.cache.l1TtlMs, maxEntries: config.cache.l1MaxEntries, maxBytes: config.cache.l1MaxBytes }, (count) =>
      evictedByLru.inc(count),
    );
    this.enabled = config.cache.enabled;
    this.localEnabled = this.enabled && config.cache.l1TtlMs > 0;
    this.l1Hit = metrics.lookups.labels('l1', 'hit');
    this.l1Miss = metrics.lookups.labels('l1', 'miss');
    this.l1Bypass = metrics.lookups.labels('l1', 'bypass');
  }

  onModuleInit(): void {
    const evictedByTag = this.metrics.evictions.labels('l1', 'tag');
    this.bus.listen({
      evict: (versions) => {
        this.local.applyVersions(versions);
        evictedByTag.inc();
      },
      reset: () => this.local.clear(),
    });
  }

  /**
   * The L1 copy of `key` when this instance may serve from L1, without counting the lookup: for a
   * caller that may not serve it (it counts what it serves with `servedFromLocal`).
   */
  localBody(key: string): string | undefined {
    return this.localUsable() ? this.local.get(key)?.body : undefined;
  }

  servedFromLocal(): void {
    this.l1Hit.inc();
  }

  /** The L1 copy of `key`, synchronously, when this instance may serve from L1; the lookup is counted. */
  peekLocal(key: string): string | undefined {
    if (!this.localUsable()) {
      if (this.enabled) this.l1Bypass.inc();
      return undefined;
    }
    const entry = this.local.get(key);
    if (entry === undefined) {
      this.l1Miss.inc();
      return undefined;
    }
    this.l1Hit.inc();
    return entry.body;
  }

  /** L2, then the loader; call after `peekLocal` missed. N concurrent calls for a key make one. */
  readThrough(request: CacheRequest): Promise<CachedBody> {
    if (!this.enabled) return this.load(request, undefined, this.local.generation);
    return this.flights.run(request.key, () => this.readShared(request));
  }

  private async readShared(request: CacheRequest): Promise<CachedBody> {
    const generation = this.local.generation;
    const shared = await this.store.read(request.key, request.tags).catch(() => undefined);
    if (shared === undefined) {
      this.metrics.lookups.labels('l2', 'bypass').inc();
    } else if (shared.entry && matchesVersions(shared.entry, shared.versions)) {
      this.metrics.lookups.labels('l2', 'hit').inc();
      this.keepLocally(request.key, shared.entry, generation);
      return { body: shared.entry.body, from: 'l2' };
    } else {
      this.metrics.lookups.labels('l2', 'miss').inc();
      if (shared.entry) this.metrics.evictions.labels('l2', 'tag').inc();
    }
    return this.load(request, shared, generation);
  }

  private async load(request: CacheRequest, shared: RedisRead | undefined, generation: number): Promise<CachedBody> {
    this.metrics.loads.inc();
    const body = JSON.stringify(await request.load());
    if (shared !== undefined) this.keep(request, { body, versions: shared.versions }, generation);
    return { body, from: 'miss' };
  }

  /** Only with the versions read before the load: a write that raced it has bumped them, so the entry is never served. */
  private keep(request: CacheRequest, entry: CacheEntry, generation: number): void {
    void this.store.write(request.key, entry, request.ttlMs);
    this.keepLocally(request.key, entry, generation);
  }

  private keepLocally(key: string, entry: CacheEntry, generation: number): void {
    if (this.localUsable()) this.local.set(key, entry, generation);
  }

  private localUsable(): boolean {
    return this.localEnabled && this.bus.listening;
  }
}
