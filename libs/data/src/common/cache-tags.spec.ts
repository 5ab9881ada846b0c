import { cacheTags, cacheTagsOfEvents } from './cache-tags';

describe('cacheTagsOfEvents', () => {
  it('invalidates what stock, product and facility events changed, once each, lower-cased', () => {
    const product = 'A0000000-0000-4000-8000-000000000001';
    const facility = 'b0000000-0000-4000-8000-000000000002';
    const tags = cacheTagsOfEvents([
      { topic: 'inventory.changed', payload: { productId: product, facilityId: facility } },
      { topic: 'inventory.changed', payload: { productId: product.toLowerCase(), facilityId: facility } },
      { topic: 'product.changed', payload: { productId: product } },
      { topic: 'facility.changed', payload: { facilityId: facility } },
      { topic: 'order.created', payload: { orderId: product } },
    ]);
    expect(tags.sort()).toEqual([cacheTags.availability(product), cacheTags.facility(facility), cacheTags.product(product)].sort());
    expect(tags.every((tag) => tag === tag.toLowerCase())).toBe(true);
  });
});
