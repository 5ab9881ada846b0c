import type { PublishableEvent } from '@app/jobs';

/** The cache tags of the domain: what a cached read depends on, and what a write invalidates. */
export const cacheTags = {
  product: (productId: string) => `product:${productId.toLowerCase()}`,
  facility: (facilityId: string) => `facility:${facilityId.toLowerCase()}`,
  availability: (productId: string) => `availability:${productId.toLowerCase()}`,
  /** Which stock each channel sells and what it holds back (channels, their groups' members, facilities that broker): rare changes. */
  channelStock: () => 'channel-stock',
  /** The whole routing configuration: changes are rare, and any of them may change which group is active. */
  routing: () => 'routing',
  /** The approval rules, read whole at every order creation. */
  approvalRules: () => 'approval-rules',
};

/** A committed write that cached reads depend on, named by the outbox topic that announces it. */
export type CachedWrite =
  | { topic: 'product.changed'; productId: string }
  | { topic: 'facility.changed'; facilityId: string }
  | { topic: 'inventory.changed'; productId: string }
  | { topic: 'availability.changed'; productId: string }
  | { topic: 'channel_stock.changed' }
  | { topic: 'routing.changed' }
  | { topic: 'approval_rules.changed' };

function tagsOf(write: CachedWrite): string[] {
  switch (write.topic) {
    case 'product.changed':
      return [cacheTags.product(write.productId)];
    case 'facility.changed':
      // Whether a facility brokers is part of every channel's stock.
      return [cacheTags.facility(write.facilityId), cacheTags.channelStock()];
    case 'inventory.changed':
    case 'availability.changed':
      return [cacheTags.availability(write.productId)];
    case 'channel_stock.changed':
      return [cacheTags.channelStock()];
    case 'routing.changed':
      return [cacheTags.routing()];
    case 'approval_rules.changed':
      return [cacheTags.approvalRules()];
  }
}

/**
 * The one map from writes to the tags they invalidate, once each: the services drop them as soon
 * as they commit, and the outbox relay again for the events of every process (changes made by
 * workers, and those whose invalidation Redis missed).
 */
export function invalidatedTags(writes: CachedWrite[]): string[] {
  return [...new Set(writes.flatMap(tagsOf))];
}

/** The writes that outbox events announce; events of other topics change nothing cached. */
export function writesOfEvents(events: Pick<PublishableEvent, 'topic' | 'payload'>[]): CachedWrite[] {
  return events.flatMap(({ topic, payload }): CachedWrite[] => {
    const { productId, facilityId } = payload;
    if ((topic === 'product.changed' || topic === 'inventory.changed' || topic === 'availability.changed') && typeof productId === 'string') {
      return [{ topic, productId }];
    }
    if (topic === 'facility.changed' && typeof facilityId === 'string') return [{ topic, facilityId }];
    if (topic === 'routing.changed' || topic === 'approval_rules.changed') return [{ topic }];
    return [];
  });
}
