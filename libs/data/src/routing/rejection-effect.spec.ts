import { onHandDeltaOfRejection } from './rejection-effect';

describe('onHandDeltaOfRejection', () => {
  const stock = { quantityOnHand: 10, reservedByOthers: 3, itemQuantity: 2 };

  it('NOT_IN_STOCK leaves on hand at what others reserve, so nothing more can be promised there', () => {
    expect(onHandDeltaOfRejection('NOT_IN_STOCK', stock)).toBe(-7);
  });

  it.each(['MISMATCH', 'DAMAGED', 'WORN_DISPLAY'] as const)('%s takes the item’s quantity off on hand', (reason) => {
    expect(onHandDeltaOfRejection(reason, stock)).toBe(-2);
  });

  it.each(['INACTIVE_STORE', 'NO_VARIANCE'] as const)('%s changes nothing', (reason) => {
    expect(onHandDeltaOfRejection(reason, stock)).toBe(0);
  });

  it('never takes on hand below what others reserve, nor raises it', () => {
    expect(onHandDeltaOfRejection('DAMAGED', { quantityOnHand: 4, reservedByOthers: 3, itemQuantity: 2 })).toBe(-1);
    expect(onHandDeltaOfRejection('NOT_IN_STOCK', { quantityOnHand: 3, reservedByOthers: 3, itemQuantity: 2 })).toBe(0);
  });
});
