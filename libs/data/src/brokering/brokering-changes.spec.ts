import type { AllocationPlan } from './allocation-plan';
import { brokeringChanges, orderStatusOf } from './brokering-changes';
import type { LockedItem, LockedOrder } from './brokering.repository';

const shipTo = { latitude: 0, longitude: 0 };

function item(id: string, status: LockedItem['status'], lineNumber = 1): LockedItem {
  return { id, orderId: 'o1', lineNumber, productId: 'p1', quantity: 1, status };
}

describe('orderStatusOf', () => {
  it('follows docs/architecture.md: nothing left to allocate, some allocated or shipped, none allocated', () => {
    expect(orderStatusOf(['ALLOCATED', 'SHIPPED'])).toBe('BROKERED');
    expect(orderStatusOf(['SHIPPED', 'BACKORDERED'])).toBe('PARTIALLY_BROKERED');
    expect(orderStatusOf(['ALLOCATED', 'BACKORDERED'])).toBe('PARTIALLY_BROKERED');
    expect(orderStatusOf(['BACKORDERED', 'BACKORDERED'])).toBe('BACKORDERED');
  });
});

describe('brokeringChanges', () => {
  const position = { backlog: true, createdAt: '2026-11-25 12:00:00+00', id: 'o1' };
  const order: LockedOrder = { id: 'o1', status: 'PARTIALLY_BROKERED', shipTo, position };

  it('writes nothing for an order whose backordered items stay backordered', () => {
    const plan: AllocationPlan = {
      orders: [{ orderId: 'o1', allocations: [], backorderedItemIds: ['i2'], status: 'BACKORDERED' }],
      reservations: [],
    };
    expect(brokeringChanges([order], [item('i1', 'SHIPPED'), item('i2', 'BACKORDERED', 2)], plan)).toEqual({ items: [], orders: [], ledger: [] });
  });

  it('allocates, backorders new items, derives the status from all items and writes a ledger row per allocated line', () => {
    const created: LockedOrder = { id: 'o1', status: 'APPROVED', shipTo, position: { ...position, backlog: false } };
    const plan: AllocationPlan = {
      orders: [
        {
          orderId: 'o1',
          allocations: [{ itemId: 'i1', productId: 'p1', facilityId: 'f1', quantity: 1 }],
          backorderedItemIds: ['i2'],
          status: 'PARTIALLY_BROKERED',
        },
      ],
      reservations: [{ facilityId: 'f1', productId: 'p1', quantity: 1 }],
    };
    expect(brokeringChanges([created], [item('i1', 'CREATED'), item('i2', 'CREATED', 2)], plan)).toEqual({
      items: [
        { itemId: 'i1', status: 'ALLOCATED', facilityId: 'f1' },
        { itemId: 'i2', status: 'BACKORDERED', facilityId: null },
      ],
      orders: [{ orderId: 'o1', status: 'PARTIALLY_BROKERED' }],
      ledger: [{ facilityId: 'f1', productId: 'p1', onHandDelta: 0, reservedDelta: 1, reason: 'brokered', actor: 'system', orderId: 'o1' }],
    });
  });
});
