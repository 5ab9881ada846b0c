import type { PublishableEvent } from '@app/jobs';

/** The cache tags of the domain: what a cached read depends on, and what a write invalidates. */
export const cacheTags = {
  product: (productId: string) => `product:${productId.toLowerCase()}`,
  facility: (facilityId: string) => `facility:${facilityId.toLowerCase()}`,
  availability: (productId: string) => `availability:${productId.toLowerCase()}`,
};

/** The tags that committed outbox events invalidate: changes made by any process (e.g. brokering in a worker), again after Redis missed them. */
export function cacheTagsOfEvents(events: Pick<PublishableEvent, 'topic' | 'payload'>[]): string[] {
  const tags = new Set<string>();
  for (const { topic, payload } of events) {
    if (topic === 'inventory.changed' && typeof payload.productId === 'string') tags.add(cacheTags.availability(payload.productId));
    if (topic === 'product.changed' && typeof payload.productId === 'string') tags.add(cacheTags.product(payload.productId));
    if (topic === 'facility.changed' && typeof payload.facilityId === 'string') tags.add(cacheTags.facility(payload.facilityId));
  }
  return [...tags];
}
