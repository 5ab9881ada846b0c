import { inCapacityLockOrder, inStockLockOrder } from './lock-order';

describe('inStockLockOrder', () => {
  it('orders rows by facility, then product, whatever order the lines came in', () => {
    const rows = [
      { facilityId: 'f2', productId: 'p1', line: 1 },
      { facilityId: 'f1', productId: 'p2', line: 2 },
      { facilityId: 'f1', productId: 'p1', line: 3 },
    ];
    expect(inStockLockOrder(rows).map((row) => row.line)).toEqual([3, 2, 1]);
    expect(inStockLockOrder([...rows].reverse())).toEqual(inStockLockOrder(rows));
  });
});

describe('inCapacityLockOrder', () => {
  it('orders capacity rows by facility', () => {
    const rows = [
      { facilityId: 'f3', orders: 1 },
      { facilityId: 'f1', orders: 2 },
      { facilityId: 'f2', orders: 3 },
    ];
    expect(inCapacityLockOrder(rows).map((row) => row.facilityId)).toEqual(['f1', 'f2', 'f3']);
    expect(rows[0].facilityId).toBe('f3');
  });
});
