import { orderStatusAfterCancel } from './item-cancel.service';

describe('orderStatusAfterCancel', () => {
  it.each([
    ['BROKERED', ['ALLOCATED', 'CANCELLED', 'ALLOCATED'], 'BROKERED'],
    ['PARTIALLY_BROKERED', ['ALLOCATED', 'CANCELLED'], 'BROKERED'],
    ['PARTIALLY_BROKERED', ['ALLOCATED', 'BACKORDERED', 'CANCELLED'], 'PARTIALLY_BROKERED'],
    ['PARTIALLY_BROKERED', ['SHIPPED', 'CANCELLED'], 'COMPLETED'],
    ['PARTIALLY_BROKERED', ['SHIPPED', 'BACKORDERED', 'CANCELLED'], 'PARTIALLY_BROKERED'],
    ['PARTIALLY_BROKERED', ['BACKORDERED', 'CANCELLED'], 'BACKORDERED'],
    ['BROKERED', ['CANCELLED', 'CANCELLED'], 'CANCELLED'],
    ['APPROVED', ['CREATED', 'CANCELLED'], 'APPROVED'],
    ['APPROVED', ['CANCELLED'], 'CANCELLED'],
    ['HELD', ['BACKORDERED', 'CANCELLED'], 'HELD'],
    ['HELD', ['CANCELLED', 'CANCELLED'], 'CANCELLED'],
  ] as const)('%s with items %j becomes %s', (current, items, expected) => {
    expect(orderStatusAfterCancel(current, [...items])).toBe(expected);
  });
});
