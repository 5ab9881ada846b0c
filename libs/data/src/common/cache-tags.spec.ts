import { cacheTags, invalidatedTags, writesOfEvents } from './cache-tags';

describe('cache tags of writes', () => {
  const product = 'A0000000-0000-4000-8000-000000000001';
  const facility = 'b0000000-0000-4000-8000-000000000002';

  it("invalidates what stock, product and facility writes changed (a facility also every channel's stock), once each, lower-cased", () => {
    const tags = invalidatedTags([
      { topic: 'inventory.changed', productId: product },
      { topic: 'inventory.changed', productId: product.toLowerCase() },
      { topic: 'product.changed', productId: product },
      { topic: 'facility.changed', facilityId: facility },
      { topic: 'routing.changed' },
      { topic: 'routing.changed' },
    ]);
    expect(tags.sort()).toEqual(
      [
        cacheTags.availability(product),
        cacheTags.facility(facility),
        cacheTags.channelStock(),
        cacheTags.product(product),
        cacheTags.routing(),
      ].sort(),
    );
    expect(tags.every((tag) => tag === tag.toLowerCase())).toBe(true);
  });

  it('reads the writes of outbox events, so the relay drops what the services drop', () => {
    const events = [
      { topic: 'inventory.changed', payload: { productId: product, facilityId: facility } },
      { topic: 'product.changed', payload: { productId: product } },
      { topic: 'facility.changed', payload: { facilityId: facility } },
      { topic: 'routing.changed', payload: { groupId: facility } },
      { topic: 'availability.changed', payload: { channel: 'WEB', productId: product, sku: 'S', available: 3 } },
      { topic: 'order.created', payload: { orderId: product } },
      { topic: 'product.changed', payload: { productId: 42 } },
    ];
    expect(writesOfEvents(events)).toEqual([
      { topic: 'inventory.changed', productId: product },
      { topic: 'product.changed', productId: product },
      { topic: 'facility.changed', facilityId: facility },
      { topic: 'routing.changed' },
      { topic: 'availability.changed', productId: product },
    ]);
  });
});
