import type { CachedResponseOptions } from '@app/cache';
import { WAREHOUSE_CACHE_TAG } from '@app/warehouse';

/** A report keyed by its query (in a fixed order) and dropped by every successful ETL run. */
export function cachedReport(name: string): CachedResponseOptions {
  return {
    key: (_params, query) =>
      `report:${name}:${JSON.stringify(
        Object.keys(query)
          .sort()
          .map((field) => [field, query[field]]),
      )}`,
    tags: () => [WAREHOUSE_CACHE_TAG],
    ttlSeconds: 300,
  };
}
