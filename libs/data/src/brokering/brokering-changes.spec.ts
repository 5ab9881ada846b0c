import type { RoutingGroup } from '../routing/routing-config';
import type { RoutableLine, RoutedOrder, RoutingPlan } from '../routing/routing-engine';
import { brokeringChanges, isRoutedNow, orderStatusOf, routingInput } from './brokering-changes';
import type { LockedItem, LockedOrder } from './brokering.repository';

const shipTo = { latitude: 0, longitude: 0 };
const NOW = new Date('2026-12-01T10:00:00Z');

function item(id: string, status: LockedItem['status'], lineNumber = 1, more: Partial<LockedItem> = {}): LockedItem {
  const queue = status === 'CREATED' ? 'BROKERING' : status === 'BACKORDERED' ? 'BACKORDER' : null;
  return { id, orderId: 'o1', lineNumber, productId: 'p1', quantity: 1, unitPrice: '10.00', status, facilityId: null, queue, ...more };
}

function line(itemId: string): RoutableLine {
  return { itemId, productId: 'p1', quantity: 1, unitPrice: 10, rejectedFacilityIds: [], queue: 'BROKERING' };
}

const position = { backlog: true, createdAt: '2026-11-25 12:00:00+00', id: 'o1' };
const facts = {
  orderDate: '2026-11-25 12:00:00+00',
  salesChannel: 'web',
  shippingMethod: 'STANDARD',
  priority: 5,
  promiseDate: null,
  country: 'US',
  tags: [],
  orderTotal: 20,
};
const order: LockedOrder = { id: 'o1', status: 'PARTIALLY_BROKERED', shipTo, pickupFacilityId: null, position, ...facts };

const GROUP: RoutingGroup = { id: 'g', name: 'g', trigger: 'ORDER_APPROVED', cron: null, status: 'ACTIVE', routings: [] };

function plan(routed: Omit<RoutedOrder, 'order' | 'trace'>): RoutingPlan {
  const [routedOrder] = routingInput([order], [], isRoutedNow, {
    group: { id: 'g', name: 'g', trigger: 'ORDER_APPROVED', cron: null, status: 'ACTIVE', routings: [] },
    facilities: [],
    stock: [],
    rejections: new Map(),
    today: '2026-12-01',
  }).orders;
  return { orders: [{ order: routedOrder, trace: [], ...routed }], reservations: [], capacity: [] };
}

describe('orderStatusOf', () => {
  it('follows docs/architecture.md: nothing left to allocate, some allocated or shipped, none allocated', () => {
    expect(orderStatusOf(['ALLOCATED', 'SHIPPED'])).toBe('BROKERED');
    expect(orderStatusOf(['SHIPPED', 'BACKORDERED'])).toBe('PARTIALLY_BROKERED');
    expect(orderStatusOf(['ALLOCATED', 'BACKORDERED'])).toBe('PARTIALLY_BROKERED');
    expect(orderStatusOf(['BACKORDERED', 'BACKORDERED'])).toBe('BACKORDERED');
  });
});

describe('routingInput', () => {
  it('routes the unallocated items in the routed queues, and counts the order at the facilities of its other items', () => {
    const items = [
      item('shipped', 'SHIPPED', 1, { facilityId: 'f1' }),
      item('new', 'CREATED', 2),
      item('parked', 'BACKORDERED', 3, { queue: 'REVIEW' }),
      item('rejected', 'BACKORDERED', 4, { queue: 'REJECTED' }),
    ];
    const [routable] = routingInput([order], items, isRoutedNow, {
      group: GROUP,
      facilities: [],
      stock: [],
      rejections: new Map([['rejected', ['f2']]]),
      today: '2026-12-01',
    }).orders;
    expect(routable.lines.map((l) => [l.itemId, l.queue, l.rejectedFacilityIds])).toEqual([
      ['new', 'BROKERING', []],
      ['rejected', 'REJECTED', ['f2']],
    ]);
    expect(routable.queues).toEqual(['BROKERING', 'REJECTED']);
    expect(routable.countedFacilityIds).toEqual(['f1']);
  });
});

describe('brokeringChanges', () => {
  it('writes nothing for an order whose backordered items stay in the same queue', () => {
    const routed = plan({
      routingId: 'r',
      allocations: [],
      unfilled: [{ line: line('i2'), action: 'MOVE_TO_QUEUE', queue: 'BACKORDER', autoCancelDays: null }],
    });
    expect(brokeringChanges([order], [item('i1', 'SHIPPED'), item('i2', 'BACKORDERED', 2)], routed, 'g', NOW)).toEqual({
      items: [],
      orders: [],
      ledger: [],
    });
  });

  it('allocates with the routing that chose the facility, parks the rest, derives the status from all items and writes a ledger row per allocated line', () => {
    const approved: LockedOrder = { ...order, status: 'APPROVED', position: { ...position, backlog: false } };
    const routed = plan({
      routingId: 'r',
      allocations: [{ line: line('i1'), facilityId: 'f1', ruleId: 'rule-1' }],
      unfilled: [{ line: line('i2'), action: 'AUTO_CANCEL_DAYS', queue: 'UNFILLABLE', autoCancelDays: 2 }],
    });
    expect(brokeringChanges([approved], [item('i1', 'CREATED'), item('i2', 'CREATED', 2)], routed, 'g', NOW)).toEqual({
      items: [
        { itemId: 'i1', status: 'ALLOCATED', facilityId: 'f1', history: { routing: { groupId: 'g', routingId: 'r', ruleId: 'rule-1' } } },
        { itemId: 'i2', status: 'BACKORDERED', facilityId: null, queue: 'UNFILLABLE', autoCancelAt: new Date('2026-12-03T10:00:00Z') },
      ],
      orders: [{ orderId: 'o1', status: 'PARTIALLY_BROKERED' }],
      ledger: [{ facilityId: 'f1', productId: 'p1', onHandDelta: 0, reservedDelta: 1, reason: 'brokered', actor: 'system', orderId: 'o1' }],
    });
  });
});
