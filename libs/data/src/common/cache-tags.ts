import type { PublishableEvent } from '../jobs/outbox-jobs';

/** The cache tags of the domain: what a cached read depends on, and what a write invalidates. */
export const cacheTags = {
  product: (productId: string) => `product:${productId.toLowerCase()}`,
  facility: (facilityId: string) => `facility:${facilityId.toLowerCase()}`,
  availability: (productId: string) => `availability:${productId.toLowerCase()}`,
};

/** The tags that committed outbox events invalidate (stock changed by any process, e.g. brokering in a worker). */
export function cacheTagsOfEvents(events: Pick<PublishableEvent, 'topic' | 'payload'>[]): string[] {
  const tags = new Set<string>();
  for (const event of events) {
    if (event.topic === 'inventory.changed' && typeof event.payload.productId === 'string') tags.add(cacheTags.availability(event.payload.productId));
  }
  return [...tags];
}
