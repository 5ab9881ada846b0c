import { DEFAULT_ROUTING_GROUP } from '../../../../test/support/default-routing-group';
import type { InventoryFilter, InventorySort, OrderFilter, Routing, RoutingGroup, RoutingRule } from './routing-config';
import { RoutableOrder, RoutingFacility, RoutingInput, routeOrders } from './routing-engine';

/** Facilities on the equator east of the customer: one degree of longitude is about 111 km. */
const customer = { latitude: 0, longitude: 0 };

function facility(id: string, longitude: number, more: Partial<RoutingFacility> = {}): RoutingFacility {
  return {
    id,
    code: id,
    type: 'WAREHOUSE',
    latitude: 0,
    longitude,
    canShip: true,
    canPickup: false,
    allowBrokering: true,
    remainingCapacity: null,
    groupSequences: {},
    ...more,
  };
}

function order(orderId: string, lines: [itemId: string, productId: string, quantity: number][], more: Partial<RoutableOrder> = {}): RoutableOrder {
  return {
    orderId,
    orderDate: `2026-01-01T00:00:00.000Z#${orderId}`,
    salesChannel: 'web',
    shippingMethod: 'STANDARD',
    priority: 5,
    promiseDate: null,
    country: 'US',
    tags: [],
    orderTotal: 100,
    queues: ['BROKERING'],
    shipTo: customer,
    pickupFacilityId: null,
    lines: lines.map(([itemId, productId, quantity]) => ({
      itemId,
      productId,
      quantity,
      unitPrice: 10,
      rejectedFacilityIds: [],
      queue: 'BROKERING',
    })),
    countedFacilityIds: [],
    ...more,
  };
}

function rule(id: string, assignment: RoutingRule['assignment'], more: Partial<RoutingRule> = {}): RoutingRule {
  return {
    id,
    name: id,
    sequence: 0,
    status: 'ACTIVE',
    assignment,
    inventoryFilters: [],
    inventorySorts: [{ field: 'distance', direction: 'asc' }],
    unfilledAction: { type: 'NEXT_RULE' },
    ...more,
  };
}

function routing(id: string, rules: RoutingRule[], more: Partial<Routing> = {}): Routing {
  return { id, name: id, sequence: 0, status: 'ACTIVE', orderFilters: [], orderSorts: [{ field: 'orderDate', direction: 'asc' }], rules, ...more };
}

function group(...routings: Routing[]): RoutingGroup {
  return { id: 'g', name: 'g', trigger: 'ORDER_APPROVED', cron: null, status: 'ACTIVE', routings };
}

function stock(facilityId: string, productId: string, availableToPromise: number) {
  return { facilityId, productId, availableToPromise };
}

function input(more: Partial<RoutingInput>): RoutingInput {
  return { group: DEFAULT_ROUTING_GROUP, orders: [], facilities: [], stock: [], today: '2026-01-01', ...more };
}

function withRule(...rules: RoutingRule[]): RoutingGroup {
  return group(routing('r', rules));
}

function facilityOf(plan: ReturnType<typeof routeOrders>, itemId: string): string | undefined {
  return plan.orders.flatMap((o) => o.allocations).find((allocation) => allocation.line.itemId === itemId)?.facilityId;
}

function filterRule(filters: InventoryFilter[], sorts: InventorySort[] = [{ field: 'distance', direction: 'asc' }]): RoutingGroup {
  return withRule(rule('only', 'SINGLE', { inventoryFilters: filters, inventorySorts: sorts }));
}

const near = facility('near', 1);
const far = facility('far', 5);
const stockBoth = [stock('near', 'p', 10), stock('far', 'p', 10)];

describe('routeOrders', () => {
  describe('inventory filters change the chosen facility', () => {
    it('facilityGroup keeps only members of the group', () => {
      const facilities = [near, facility('far', 5, { groupSequences: { STORES: 1 } })];
      const plan = routeOrders(
        input({
          group: filterRule([{ field: 'facilityGroup', operator: 'in', value: ['STORES'] }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities,
          stock: stockBoth,
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('facilityType keeps only facilities of that type', () => {
      const facilities = [near, facility('far', 5, { type: 'STORE' })];
      const plan = routeOrders(
        input({
          group: filterRule([{ field: 'facilityType', operator: 'equals', value: 'STORE' }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities,
          stock: stockBoth,
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('distanceKm keeps only facilities within the distance, and none when the order has no coordinates', () => {
      const nearOnlyFar = [facility('near', 1), facility('far', 5)];
      const within = filterRule([{ field: 'distanceKm', operator: 'less-equals', value: 200 }]);
      const plan = routeOrders(
        input({ group: within, orders: [order('o', [['i', 'p', 1]])], facilities: nearOnlyFar, stock: [stock('far', 'p', 5)] }),
      );
      expect(plan.orders[0].unfilled.map((u) => u.line.itemId)).toEqual(['i']);
      const noCoordinates = routeOrders(
        input({ group: within, orders: [order('o', [['i', 'p', 1]], { shipTo: null })], facilities: nearOnlyFar, stock: stockBoth }),
      );
      expect(noCoordinates.orders[0].allocations).toEqual([]);
    });

    it('brokeringSafetyStock keeps only facilities with at least that much brokerable', () => {
      const plan = routeOrders(
        input({
          group: filterRule([{ field: 'brokeringSafetyStock', operator: 'greater-equals', value: 5 }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: [near, far],
          stock: [stock('near', 'p', 4), stock('far', 'p', 5)],
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('ignoreFacilityOrderLimit lets a facility with no capacity left take the order', () => {
      const full = facility('near', 1, { remainingCapacity: 0 });
      const limited = routeOrders(input({ group: filterRule([]), orders: [order('o', [['i', 'p', 1]])], facilities: [full, far], stock: stockBoth }));
      expect(facilityOf(limited, 'i')).toBe('far');
      const ignoring = routeOrders(
        input({
          group: filterRule([{ field: 'ignoreFacilityOrderLimit', operator: 'equals', value: true }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: [full, far],
          stock: stockBoth,
        }),
      );
      expect(facilityOf(ignoring, 'i')).toBe('near');
      expect(ignoring.capacity).toEqual([{ facilityId: 'near', orders: 1 }]);
    });

    it('shipmentThreshold allocates nothing when a shipment or the rest would be worth less than the threshold', () => {
      const lines: [string, string, number][] = [
        ['a', 'pa', 1],
        ['b', 'pb', 5],
      ];
      const split = [stock('near', 'pa', 1), stock('far', 'pb', 5)];
      const multi = (value: number) =>
        withRule(rule('m', 'MULTI', { inventoryFilters: [{ field: 'shipmentThreshold', operator: 'greater-equals', value }] }));
      // Item a is worth 10 and b 50: a shipment of a alone is under 20.
      const refused = routeOrders(input({ group: multi(20), orders: [order('o', lines)], facilities: [near, far], stock: split }), { explain: true });
      expect(refused.orders[0].allocations).toEqual([]);
      expect(refused.orders[0].trace[0]).toMatchObject({ outcome: 'NONE', refusedBy: 'shipmentThreshold' });
      const allowed = routeOrders(input({ group: multi(10), orders: [order('o', lines)], facilities: [near, far], stock: split }));
      expect(allowed.orders[0].allocations).toHaveLength(2);
    });

    it('allItemsAvailable allocates all of the order or nothing', () => {
      const lines: [string, string, number][] = [
        ['a', 'pa', 1],
        ['b', 'pb', 1],
      ];
      const allOrNothing = withRule(rule('m', 'MULTI', { inventoryFilters: [{ field: 'allItemsAvailable', operator: 'equals', value: true }] }));
      const plan = routeOrders(input({ group: allOrNothing, orders: [order('o', lines)], facilities: [near], stock: [stock('near', 'pa', 1)] }));
      expect(plan.orders[0].allocations).toEqual([]);
      expect(plan.reservations).toEqual([]);
    });
  });

  describe('inventory sorts change the chosen facility', () => {
    it('distance desc prefers the farthest', () => {
      const plan = routeOrders(
        input({
          group: filterRule([], [{ field: 'distance', direction: 'desc' }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: [near, far],
          stock: stockBoth,
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('inventoryBalance desc prefers the facility with the most brokerable stock of the items', () => {
      const plan = routeOrders(
        input({
          group: filterRule([], [{ field: 'inventoryBalance', direction: 'desc' }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: [near, far],
          stock: [stock('near', 'p', 3), stock('far', 'p', 9)],
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('facilitySequence follows the member sequence of the filtered group', () => {
      const facilities = [facility('near', 1, { groupSequences: { STORES: 2 } }), facility('far', 5, { groupSequences: { STORES: 1 } })];
      const plan = routeOrders(
        input({
          group: filterRule([{ field: 'facilityGroup', operator: 'equals', value: 'STORES' }], [{ field: 'facilitySequence', direction: 'asc' }]),
          orders: [order('o', [['i', 'p', 1]])],
          facilities,
          stock: stockBoth,
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('far');
    });

    it('breaks ties by more brokerable quantity, then by facility code', () => {
      const same = [facility('b', 1), facility('a', 1), facility('c', 1)];
      const plan = routeOrders(
        input({
          group: filterRule([], []),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: same,
          stock: [stock('a', 'p', 2), stock('b', 'p', 2), stock('c', 'p', 1)],
        }),
      );
      expect(facilityOf(plan, 'i')).toBe('a');
    });
  });

  it('SINGLE backorders where MULTI would split', () => {
    const lines: [string, string, number][] = [
      ['a', 'pa', 1],
      ['b', 'pb', 1],
    ];
    const split = [stock('near', 'pa', 1), stock('far', 'pb', 1)];
    const single = routeOrders(input({ group: withRule(rule('s', 'SINGLE')), orders: [order('o', lines)], facilities: [near, far], stock: split }));
    expect(single.orders[0].allocations).toEqual([]);
    expect(single.orders[0].unfilled.map((u) => [u.line.itemId, u.action])).toEqual([
      ['a', 'BACKORDER'],
      ['b', 'BACKORDER'],
    ]);
    const multi = routeOrders(input({ group: withRule(rule('m', 'MULTI')), orders: [order('o', lines)], facilities: [near, far], stock: split }));
    expect([facilityOf(multi, 'a'), facilityOf(multi, 'b')]).toEqual(['near', 'far']);
  });

  describe('unfilled actions', () => {
    const nothing = { facilities: [near], stock: [] };
    it('NEXT_RULE runs the next rule over what is left', () => {
      const plan = routeOrders(
        input({
          group: withRule(
            rule('stores', 'SINGLE', { inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }] }),
            rule('any', 'SINGLE'),
          ),
          orders: [order('o', [['i', 'p', 1]])],
          facilities: [near],
          stock: [stock('near', 'p', 1)],
        }),
      );
      expect(plan.orders[0].allocations.map((a) => a.ruleId)).toEqual(['any']);
    });

    it('MOVE_TO_QUEUE parks the rest in the queue and runs no further rule', () => {
      const plan = routeOrders(
        input({
          group: withRule(rule('q', 'SINGLE', { unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'REVIEW' } }), rule('never', 'SINGLE')),
          orders: [order('o', [['i', 'p', 1]])],
          ...nothing,
        }),
        { explain: true },
      );
      expect(plan.orders[0].unfilled).toMatchObject([{ action: 'MOVE_TO_QUEUE', queue: 'REVIEW', autoCancelDays: null }]);
      expect(plan.orders[0].trace.map((t) => t.outcome)).toEqual(['NONE', 'NOT_RUN']);
    });

    it('AUTO_CANCEL_DAYS parks the rest in UNFILLABLE with its days', () => {
      const plan = routeOrders(
        input({
          group: withRule(rule('c', 'SINGLE', { unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 3 } })),
          orders: [order('o', [['i', 'p', 1]])],
          ...nothing,
        }),
      );
      expect(plan.orders[0].unfilled).toMatchObject([{ action: 'AUTO_CANCEL_DAYS', queue: 'UNFILLABLE', autoCancelDays: 3 }]);
    });
  });

  describe('pickup orders', () => {
    const lines: [string, string, number][] = [
      ['a', 'pa', 1],
      ['b', 'pb', 1],
    ];
    const pickupAt = (facilityId: string) => order('o', lines, { shippingMethod: 'PICKUP', pickupFacilityId: facilityId });
    const store = facility('far', 5, { type: 'STORE', canPickup: true });

    it('go only to their store, whole, even where a MULTI rule would split them', () => {
      const plan = routeOrders(
        input({
          orders: [pickupAt('far')],
          facilities: [near, store],
          stock: [stock('near', 'pa', 5), stock('near', 'pb', 5), stock('far', 'pa', 5), stock('far', 'pb', 5)],
        }),
        { explain: true },
      );
      expect([facilityOf(plan, 'a'), facilityOf(plan, 'b')]).toEqual(['far', 'far']);
      expect(plan.orders[0].trace[0].candidates.map((c) => [c.facilityId, c.reason])).toEqual([
        ['far', 'CHOSEN'],
        ['near', 'NOT_PICKUP_FACILITY'],
      ]);
    });

    it('go to a store that hands over pickups but does not ship; never to one that no longer offers pickup', () => {
      const counterOnly = facility('far', 5, { type: 'STORE', canShip: false, canPickup: true });
      const atStore = [stock('far', 'pa', 5), stock('far', 'pb', 5)];
      const plan = routeOrders(input({ orders: [pickupAt('far')], facilities: [near, counterOnly], stock: atStore }));
      expect([facilityOf(plan, 'a'), facilityOf(plan, 'b')]).toEqual(['far', 'far']);
      const shipped = routeOrders(input({ orders: [order('o', lines)], facilities: [near, counterOnly], stock: atStore }));
      expect(shipped.orders[0].allocations).toEqual([]);
      const closed = routeOrders(input({ orders: [pickupAt('far')], facilities: [near, far], stock: atStore }), { explain: true });
      expect(closed.orders[0].allocations).toEqual([]);
      expect(closed.orders[0].trace[0].candidates.find((c) => c.facilityId === 'far')?.reason).toBe('CANNOT_SHIP');
    });

    it('wait in REJECTED when their store cannot take every item, whatever the rules park, and never go to another store', () => {
      const parking = withRule(rule('s', 'SINGLE'), rule('m', 'MULTI', { unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' } }));
      const plan = routeOrders(
        input({
          group: parking,
          orders: [pickupAt('far')],
          facilities: [near, store],
          stock: [stock('near', 'pa', 5), stock('near', 'pb', 5), stock('far', 'pa', 5)],
        }),
        { explain: true },
      );
      expect(plan.orders[0].allocations).toEqual([]);
      expect(plan.orders[0].unfilled.map((u) => [u.line.itemId, u.action, u.queue])).toEqual([
        ['a', 'MOVE_TO_QUEUE', 'REJECTED'],
        ['b', 'MOVE_TO_QUEUE', 'REJECTED'],
      ]);
      expect(plan.orders[0].trace.map((t) => t.outcome)).toEqual(['NONE', 'NONE']);
      expect(plan.orders[0].trace[1].candidates.map((c) => [c.facilityId, c.reason])).toEqual([
        ['near', 'NOT_PICKUP_FACILITY'],
        ['far', 'NO_STOCK'],
      ]);
      expect(plan.reservations).toEqual([]);
    });
  });

  it('sends an order to the first active routing whose filters it matches', () => {
    const marketplace: OrderFilter = { field: 'salesChannel', operator: 'equals', value: 'marketplace' };
    const farOnly = rule('far-only', 'SINGLE', { inventorySorts: [{ field: 'distance', direction: 'desc' }] });
    const routed = group(
      routing('draft', [rule('x', 'SINGLE')], { status: 'DRAFT' }),
      routing('market', [farOnly], { orderFilters: [marketplace] }),
      routing('rest', [rule('nearest', 'SINGLE')]),
    );
    const plan = routeOrders(
      input({
        group: routed,
        orders: [order('web', [['w', 'p', 1]]), order('mkt', [['m', 'p', 1]], { salesChannel: 'marketplace' })],
        facilities: [near, far],
        stock: stockBoth,
      }),
    );
    expect(plan.orders.map((o) => [o.order.orderId, o.routingId])).toEqual([
      ['mkt', 'market'],
      ['web', 'rest'],
    ]);
    expect([facilityOf(plan, 'm'), facilityOf(plan, 'w')]).toEqual(['far', 'near']);
  });

  it('routes only the items waiting in the queues a routing filters on', () => {
    const parked = order('o', [
      ['review', 'p', 1],
      ['fresh', 'p', 1],
    ]);
    parked.lines[0].queue = 'REVIEW';
    parked.queues = ['REVIEW', 'BROKERING'];
    const reviewOnly = group(routing('review', [rule('any', 'SINGLE')], { orderFilters: [{ field: 'queue', operator: 'equals', value: 'REVIEW' }] }));
    const plan = routeOrders(input({ group: reviewOnly, orders: [parked], facilities: [near], stock: stockBoth }));
    expect(plan.orders[0].allocations.map((a) => a.line.itemId)).toEqual(['review']);
    expect(plan.orders[0].unfilled).toEqual([]);
  });

  it('never chooses a facility that rejected the item, and says so', () => {
    const rejected = order('o', [['i', 'p', 1]]);
    rejected.lines[0].rejectedFacilityIds = ['near'];
    const plan = routeOrders(input({ orders: [rejected], facilities: [near, far], stock: stockBoth }), { explain: true });
    expect(facilityOf(plan, 'i')).toBe('far');
    expect(plan.orders[0].trace[0].candidates).toEqual([
      { facilityId: 'far', distanceKm: 556, brokerable: 10, kept: true, reason: 'CHOSEN' },
      { facilityId: 'near', distanceKm: 111.2, brokerable: 10, kept: false, reason: 'REJECTED_BEFORE' },
    ]);
  });

  it('counts an order once per facility and never past a facility’s remaining capacity', () => {
    const limited = facility('near', 1, { remainingCapacity: 2 });
    const orders = ['o1', 'o2', 'o3'].map((id) =>
      order(id, [
        [`${id}-a`, 'p', 1],
        [`${id}-b`, 'p', 1],
      ]),
    );
    const plan = routeOrders(input({ orders, facilities: [limited, far], stock: stockBoth }));
    expect(plan.orders.map((o) => o.allocations.map((a) => a.facilityId))).toEqual([
      ['near', 'near'],
      ['near', 'near'],
      ['far', 'far'],
    ]);
    expect(plan.capacity).toEqual([
      { facilityId: 'far', orders: 1 },
      { facilityId: 'near', orders: 2 },
    ]);
  });

  it('explains every dropped candidate with its reason', () => {
    const facilities = [
      facility('a-disabled', 1, { allowBrokering: false }),
      facility('b-full', 1, { remainingCapacity: 0 }),
      facility('c-outside', 1),
      facility('d-store', 1, { type: 'STORE', groupSequences: { G: 1 } }),
      facility('e-far', 50, { groupSequences: { G: 1 } }),
      facility('f-thin', 1, { groupSequences: { G: 1 } }),
      facility('g-empty', 1, { groupSequences: { G: 1 } }),
      facility('h-chosen', 2, { groupSequences: { G: 1 } }),
      facility('i-second', 3, { groupSequences: { G: 1 } }),
      facility('j-noship', 1, { canShip: false, groupSequences: { G: 1 } }),
    ];
    const filters: InventoryFilter[] = [
      { field: 'facilityGroup', operator: 'in', value: ['G'] },
      { field: 'facilityType', operator: 'equals', value: 'WAREHOUSE' },
      { field: 'distanceKm', operator: 'less', value: 1000 },
      { field: 'brokeringSafetyStock', operator: 'greater-equals', value: 3 },
    ];
    const stocked = facilities.filter((f) => f.id !== 'g-empty').map((f) => stock(f.id, 'p', f.id === 'f-thin' ? 2 : 5));
    const plan = routeOrders(input({ group: filterRule(filters), orders: [order('o', [['i', 'p', 1]])], facilities, stock: stocked }), {
      explain: true,
    });
    const reasons = Object.fromEntries(plan.orders[0].trace[0].candidates.map((c) => [c.facilityId, [c.kept, c.reason]]));
    expect(reasons).toEqual({
      'a-disabled': [false, 'BROKERING_DISABLED'],
      'b-full': [false, 'NO_CAPACITY'],
      'c-outside': [false, 'NOT_IN_GROUP'],
      'd-store': [false, 'FACILITY_TYPE'],
      'e-far': [false, 'DISTANCE'],
      'f-thin': [false, 'SAFETY_STOCK'],
      'g-empty': [false, 'NO_STOCK'],
      'h-chosen': [true, 'CHOSEN'],
      'i-second': [true, 'OUTRANKED'],
      'j-noship': [false, 'CANNOT_SHIP'],
    });
  });

  it('leaves its input untouched', () => {
    const orders = [order('o', [['i', 'p', 1]])];
    const before = JSON.stringify(orders);
    routeOrders(input({ orders, facilities: [near, far], stock: stockBoth }));
    expect(JSON.stringify(orders)).toBe(before);
  });
});
