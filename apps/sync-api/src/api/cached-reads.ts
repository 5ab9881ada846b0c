import type { CachedResponseOptions } from '@app/cache';
import type { QueryParams, RouteParams } from '@app/platform';
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
  return { key: channelAvailabilityKey(channel, id), tags: [cacheTags.availability(id), cacheTags.channelStock()], ttlMs: 60_000 };
}

const channelAvailabilityKey = (channel: string, productId: string) => `channel-availability:${channel}:${productId.toLowerCase()}`;

/** The key of a request by product id, known without a look-up (one by SKU has none: the handler resolves it first). */
export function channelAvailabilityKeyOf(params: RouteParams, query: QueryParams): string | undefined {
  const { productId, sku } = query;
  return typeof productId === 'string' && sku === undefined ? channelAvailabilityKey(String(params.code), productId) : undefined;
}
