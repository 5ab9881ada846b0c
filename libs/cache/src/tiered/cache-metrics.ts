import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@app/platform';
import { Counter } from 'prom-client';

export type CacheTier = 'l1' | 'l2';

/** Hits and misses per tier, evictions of L1 entries and invalidations, for /metrics. */
@Injectable()
export class CacheMetrics {
  readonly lookups: Counter<'tier' | 'result'>;
  readonly evictions: Counter<'tier' | 'reason'>;
  readonly loads: Counter;

  constructor(registry: MetricsRegistry) {
    this.lookups = new Counter({
      name: 'cache_lookups_total',
      help: 'Cache lookups by tier (l1 in process, l2 Redis) and result (hit, miss, bypass when the tier is unusable)',
      labelNames: ['tier', 'result'],
      registers: [registry],
    });
    this.evictions = new Counter({
      name: 'cache_evictions_total',
      help: 'Cache entries dropped: l1 by size or age (lru) or an eviction heard (tag); l2 entries found outdated by a tag version (tag)',
      labelNames: ['tier', 'reason'],
      registers: [registry],
    });
    this.loads = new Counter({
      name: 'cache_loads_total',
      help: 'Reads that went to the database because no tier had the entry (one per key per instance at a time)',
      registers: [registry],
    });
  }
}
