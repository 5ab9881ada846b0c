import { InvalidInputError } from '@app/platform';
import { applyOrderEdit, EditableOrder } from './order-edit';

const ADDRESS = { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 };
const ORDER: EditableOrder = {
  shippingAddress: ADDRESS,
  shippingMethod: 'STANDARD',
  pickupFacilityId: null,
  priority: 5,
  promiseDate: '2027-01-10',
  tags: ['gift'],
};
const STORE = '6f1c2a7e-1111-4a4a-8a8a-000000000001';

describe('applyOrderEdit', () => {
  it('changes nothing for an empty edit or one that repeats the stored values, whatever the key order of the address', () => {
    expect(applyOrderEdit(ORDER, {})).toEqual({ fields: ORDER, changed: [], reroutes: false });
    const reordered = { longitude: -73.99, latitude: 40.69, country: 'US', postalCode: '11201', city: 'Brooklyn', line1: '1 Main St' };
    expect(applyOrderEdit(ORDER, { shippingAddress: reordered, priority: 5, tags: ['gift', 'gift'] }).changed).toEqual([]);
  });

  it('names the changed fields, and asks for routing for all but tags', () => {
    expect(applyOrderEdit(ORDER, { tags: ['vip'] })).toMatchObject({ changed: ['tags'], reroutes: false });
    expect(applyOrderEdit(ORDER, { priority: 9, tags: ['vip'] })).toMatchObject({ changed: ['priority', 'tags'], reroutes: true });
    expect(applyOrderEdit(ORDER, { shippingAddress: { ...ADDRESS, line1: '2 Main St' } })).toMatchObject({
      changed: ['shippingAddress'],
      reroutes: true,
    });
    expect(applyOrderEdit(ORDER, { promiseDate: null })).toMatchObject({ fields: { promiseDate: null }, changed: ['promiseDate'], reroutes: true });
  });

  it('takes a pickup facility with PICKUP only, keeps it while the order stays PICKUP and drops it when the method changes', () => {
    expect(() => applyOrderEdit(ORDER, { shippingMethod: 'PICKUP' })).toThrow(InvalidInputError);
    expect(() => applyOrderEdit(ORDER, { pickupFacilityId: STORE })).toThrow('only when shippingMethod is PICKUP');
    const pickup = applyOrderEdit(ORDER, { shippingMethod: 'PICKUP', pickupFacilityId: STORE });
    expect(pickup).toMatchObject({ changed: ['pickupFacilityId', 'shippingMethod'], reroutes: true });
    expect(applyOrderEdit(pickup.fields, { priority: 1 }).fields.pickupFacilityId).toBe(STORE);
    expect(applyOrderEdit(pickup.fields, { shippingMethod: 'EXPRESS' }).fields).toMatchObject({ shippingMethod: 'EXPRESS', pickupFacilityId: null });
  });

  it('refuses an address with one coordinate of the pair', () => {
    const withoutLatitude = { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', longitude: -73.99 };
    expect(() => applyOrderEdit(ORDER, { shippingAddress: withoutLatitude })).toThrow('shippingAddress.latitude');
  });
});
