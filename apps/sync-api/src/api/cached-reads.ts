import type { CachedResponseOptions } from '@app/cache';
import { cacheTags } from '@app/data';

/** Cached reads of the public API: each keyed and tagged by the id in its path, lower-cased (one id, one entry). */
export const cachedReads = {
  product: { key: ({ id }) => cacheTags.product(id), tags: ({ id }) => [cacheTags.product(id)], ttlSeconds: 300 },
  facility: { key: ({ id }) => cacheTags.facility(id), tags: ({ id }) => [cacheTags.facility(id)], ttlSeconds: 300 },
  availability: { key: ({ id }) => cacheTags.availability(id), tags: ({ id }) => [cacheTags.availability(id)], ttlSeconds: 60 },
} satisfies Record<string, CachedResponseOptions>;

/**
 * A channel's availability of a product, keyed by channel and product id (a SKU is resolved to
 * its id first, so both ways of asking share one entry and one tag): dropped by the product's stock
 * writes and by changes of what any channel sells.
 */
export function channelAvailabilityRead(channel: string, productId: string): { key: string; tags: string[]; ttlMs: number } {
  const id = productId.toLowerCase();
  return { key: `channel-availability:${channel}:${id}`, tags: [cacheTags.availability(id), cacheTags.channelStock()], ttlMs: 60_000 };
}
