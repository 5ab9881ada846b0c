import type { CachedResponseOptions } from '@app/cache';
import { cacheTags } from '@app/data';

/** Cached reads of the public API: each keyed and tagged by the id in its path, lower-cased (one id, one entry). */
export const cachedReads = {
  product: { key: ({ id }) => cacheTags.product(id), tags: ({ id }) => [cacheTags.product(id)], ttlSeconds: 300 },
  facility: { key: ({ id }) => cacheTags.facility(id), tags: ({ id }) => [cacheTags.facility(id)], ttlSeconds: 300 },
  availability: { key: ({ id }) => cacheTags.availability(id), tags: ({ id }) => [cacheTags.availability(id)], ttlSeconds: 60 },
} satisfies Record<string, CachedResponseOptions>;
