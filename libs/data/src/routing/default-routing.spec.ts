import fc from 'fast-check';
import { DEFAULT_ROUTING_GROUP } from '../../../../test/support/default-routing-group';
import type { StockLevel, StockReservation } from '../brokering/stock-reservations';
import { GeoPoint, haversineKm } from './geo';
import { routeOrders } from './routing-engine';

/*
 * The seeded default routing group must plan exactly as the fixed planner brokering used before
 * routing groups: the nearest facility that can ship the whole order, else a greedy split over the
 * fewest facilities, nearest first, else backorder. These are that planner's tests, run through the
 * engine with the default group (planAllocations below adapts the shapes).
 */
interface LineToAllocate {
  itemId: string;
  productId: string;
  quantity: number;
}
interface OrderToAllocate {
  orderId: string;
  shipTo: GeoPoint | null;
  lines: LineToAllocate[];
}
interface AllocationFacility extends GeoPoint {
  id: string;
  canShip: boolean;
}
interface AllocationInput {
  orders: OrderToAllocate[];
  facilities: AllocationFacility[];
  stock: StockLevel[];
}
interface OrderAllocation {
  orderId: string;
  allocations: (StockReservation & { itemId: string })[];
  backorderedItemIds: string[];
  status: 'BROKERED' | 'PARTIALLY_BROKERED' | 'BACKORDERED';
}
interface AllocationPlan {
  orders: OrderAllocation[];
  reservations: StockReservation[];
}

function planAllocations({ orders, facilities, stock }: AllocationInput): AllocationPlan {
  const plan = routeOrders({
    group: DEFAULT_ROUTING_GROUP,
    today: '2026-01-01',
    stock,
    facilities: facilities.map((facility) => ({
      ...facility,
      code: facility.id,
      type: 'WAREHOUSE',
      canPickup: false,
      allowBrokering: true,
      remainingCapacity: null,
      groupSequences: {},
    })),
    orders: orders.map((order, index) => ({
      orderId: order.orderId,
      orderDate: String(index).padStart(6, '0'),
      salesChannel: 'web',
      shippingMethod: 'STANDARD',
      priority: 5,
      promiseDate: null,
      country: null,
      tags: [],
      orderTotal: 0,
      queues: ['BROKERING'],
      shipTo: order.shipTo,
      pickupFacilityId: null,
      lines: order.lines.map((line) => ({ ...line, unitPrice: 0, rejectedFacilityIds: [], queue: 'BROKERING' })),
      countedFacilityIds: [],
    })),
  });
  return {
    reservations: plan.reservations,
    orders: plan.orders.map((routed) => {
      const allocations = routed.allocations.map(({ line, facilityId }) => ({
        itemId: line.itemId!,
        productId: line.productId,
        facilityId,
        quantity: line.quantity,
      }));
      const backorderedItemIds = routed.unfilled.map(({ line }) => line.itemId!);
      const status = backorderedItemIds.length === 0 ? 'BROKERED' : allocations.length === 0 ? 'BACKORDERED' : 'PARTIALLY_BROKERED';
      return { orderId: routed.order.orderId!, allocations, backorderedItemIds, status };
    }),
  };
}

/** Facilities on the equator east of the customer: the larger the longitude, the farther away. */
const customer = { latitude: 0, longitude: 0 };
function facilityAt(id: string, longitude: number, canShip = true): AllocationFacility {
  return { id, latitude: 0, longitude, canShip };
}
function atp(facilityId: string, productId: string, availableToPromise: number): StockLevel {
  return { facilityId, productId, availableToPromise };
}
function order(orderId: string, ...lines: [itemId: string, productId: string, quantity: number][]): OrderToAllocate {
  return { orderId, shipTo: customer, lines: lines.map(([itemId, productId, quantity]) => ({ itemId, productId, quantity })) };
}
function facilityOf(plan: AllocationPlan, itemId: string): string | undefined {
  return plan.orders.flatMap((o) => o.allocations).find((allocation) => allocation.itemId === itemId)?.facilityId;
}

describe('haversineKm', () => {
  it('measures New York to Los Angeles as about 3936 km', () => {
    const newYork = { latitude: 40.7128, longitude: -74.006 };
    const losAngeles = { latitude: 34.0522, longitude: -118.2437 };
    expect(Math.abs(haversineKm(newYork, losAngeles) - 3936) / 3936).toBeLessThan(0.01);
    expect(haversineKm(newYork, newYork)).toBe(0);
  });
});

describe('planAllocations', () => {
  it('ships the whole order from the nearest of several facilities that could', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p1', 1], ['i2', 'p2', 2])],
      facilities: [facilityAt('far', 3), facilityAt('near', 1), facilityAt('middle', 2)],
      stock: [atp('far', 'p1', 5), atp('far', 'p2', 5), atp('near', 'p1', 5), atp('near', 'p2', 5), atp('middle', 'p1', 5), atp('middle', 'p2', 5)],
    });
    expect(plan.orders).toEqual([
      {
        orderId: 'o1',
        allocations: [
          { itemId: 'i1', productId: 'p1', facilityId: 'near', quantity: 1 },
          { itemId: 'i2', productId: 'p2', facilityId: 'near', quantity: 2 },
        ],
        backorderedItemIds: [],
        status: 'BROKERED',
      },
    ]);
  });

  it('without coordinates every facility is as near as any other: with as much stock, the lowest code of those that can ship the order', () => {
    const plan = planAllocations({
      orders: [{ ...order('o1', ['i1', 'p1', 1]), shipTo: null }],
      facilities: [facilityAt('b', 1), facilityAt('c', 9), facilityAt('a', 5)],
      stock: [atp('a', 'p1', 1), atp('b', 'p1', 1), atp('c', 'p1', 1)],
    });
    expect(facilityOf(plan, 'i1')).toBe('a');
  });

  it('prefers a farther facility that ships everything to a nearer one that ships only part', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p1', 1], ['i2', 'p2', 1])],
      facilities: [facilityAt('near', 1), facilityAt('far', 5)],
      stock: [atp('near', 'p1', 9), atp('far', 'p1', 1), atp('far', 'p2', 1)],
    });
    expect(facilityOf(plan, 'i1')).toBe('far');
    expect(facilityOf(plan, 'i2')).toBe('far');
  });

  it('splits over the fewest facilities, nearest first, when no single facility can ship the order', () => {
    const plan = planAllocations({
      orders: [order('o1', ['a', 'pa', 1], ['b', 'pb', 1], ['c', 'pc', 1])],
      facilities: [facilityAt('nearest-c-only', 1), facilityAt('near-a', 2), facilityAt('middle-b-and-c', 3), facilityAt('far-a', 4)],
      stock: [
        atp('nearest-c-only', 'pc', 1),
        atp('near-a', 'pa', 1),
        atp('middle-b-and-c', 'pb', 1),
        atp('middle-b-and-c', 'pc', 1),
        atp('far-a', 'pa', 1),
      ],
    });
    expect(plan.orders[0].status).toBe('BROKERED');
    expect(facilityOf(plan, 'b')).toBe('middle-b-and-c');
    expect(facilityOf(plan, 'c')).toBe('middle-b-and-c');
    expect(facilityOf(plan, 'a')).toBe('near-a');
  });

  it('backorders the whole order when no facility has stock', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p1', 1])],
      facilities: [facilityAt('f1', 1)],
      stock: [atp('f1', 'p1', 0)],
    });
    expect(plan).toEqual({ orders: [{ orderId: 'o1', allocations: [], backorderedItemIds: ['i1'], status: 'BACKORDERED' }], reservations: [] });
  });

  it('allocates what it can and backorders the rest', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p1', 2], ['i2', 'p2', 1])],
      facilities: [facilityAt('f1', 1)],
      stock: [atp('f1', 'p1', 1), atp('f1', 'p2', 1)],
    });
    expect(plan.orders[0]).toEqual({
      orderId: 'o1',
      allocations: [{ itemId: 'i2', productId: 'p2', facilityId: 'f1', quantity: 1 }],
      backorderedItemIds: ['i1'],
      status: 'PARTIALLY_BROKERED',
    });
  });

  it('never uses a facility that cannot ship, however near and well stocked', () => {
    const facilities = [facilityAt('store', 1, false), facilityAt('warehouse', 5)];
    const shipped = planAllocations({
      orders: [order('o1', ['i1', 'p1', 1])],
      facilities,
      stock: [atp('store', 'p1', 9), atp('warehouse', 'p1', 1)],
    });
    expect(facilityOf(shipped, 'i1')).toBe('warehouse');
    const stuck = planAllocations({ orders: [order('o1', ['i1', 'p1', 1])], facilities, stock: [atp('store', 'p1', 9)] });
    expect(stuck.orders[0].status).toBe('BACKORDERED');
  });

  it('consumes ATP across the batch: the later of two orders competing for the last unit is backordered', () => {
    const plan = planAllocations({
      orders: [order('older', ['i1', 'p1', 1]), order('newer', ['i2', 'p1', 1])],
      facilities: [facilityAt('f1', 1)],
      stock: [atp('f1', 'p1', 1)],
    });
    expect(plan.orders.map((o) => o.status)).toEqual(['BROKERED', 'BACKORDERED']);
    expect(plan.reservations).toEqual([{ facilityId: 'f1', productId: 'p1', quantity: 1 }]);
  });

  it('counts the sum of the quantities when one product is on two lines of an order', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p1', 2], ['i2', 'p1', 2])],
      facilities: [facilityAt('near', 1), facilityAt('far', 5)],
      stock: [atp('near', 'p1', 3), atp('far', 'p1', 4)],
    });
    expect(facilityOf(plan, 'i1')).toBe('far');
    expect(facilityOf(plan, 'i2')).toBe('far');
  });

  it('totals reservations per facility and product, sorted in the lock order of inventory rows', () => {
    const plan = planAllocations({
      orders: [order('o1', ['i1', 'p2', 1], ['i2', 'p1', 1]), order('o2', ['i3', 'p2', 2]), order('o3', ['i4', 'p1', 3])],
      facilities: [facilityAt('b', 1), facilityAt('a', 2)],
      stock: [atp('b', 'p1', 1), atp('b', 'p2', 3), atp('a', 'p1', 3)],
    });
    expect(plan.reservations).toEqual([
      { facilityId: 'a', productId: 'p1', quantity: 3 },
      { facilityId: 'b', productId: 'p1', quantity: 1 },
      { facilityId: 'b', productId: 'p2', quantity: 3 },
    ]);
  });
});

describe('planAllocations properties', () => {
  const facilityIds = ['f0', 'f1', 'f2', 'f3', 'f4'];
  const productIds = ['p0', 'p1', 'p2'];
  // Small integer coordinates make equal distances (ties) likely; doubles cover the rest.
  const latitude = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.double({ min: -80, max: 80, noNaN: true }));
  const longitude = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.double({ min: -180, max: 180, noNaN: true }));
  const point = fc.record({ latitude, longitude });

  const facilities = fc.uniqueArray(fc.record({ id: fc.constantFrom(...facilityIds), latitude, longitude, canShip: fc.boolean() }), {
    selector: (facility) => facility.id,
    minLength: 1,
  });
  const stock = fc.uniqueArray(
    fc.record({ facilityId: fc.constantFrom(...facilityIds), productId: fc.constantFrom(...productIds), availableToPromise: fc.nat(6) }),
    { selector: (level) => `${level.facilityId}/${level.productId}` },
  );
  const orders = fc
    .array(
      fc.record({
        shipTo: fc.option(point, { freq: 4 }),
        lines: fc.array(fc.record({ productId: fc.constantFrom(...productIds), quantity: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
      }),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((drafts) =>
      drafts.map(({ shipTo, lines }, o) => ({ orderId: `o${o}`, shipTo, lines: lines.map((line, l) => ({ itemId: `o${o}-i${l}`, ...line })) })),
    );
  const input: fc.Arbitrary<AllocationInput> = fc.record({ orders, facilities, stock });

  function initialAtp(levels: StockLevel[], facilityId: string, productId: string): number {
    return levels.find((level) => level.facilityId === facilityId && level.productId === productId)?.availableToPromise ?? 0;
  }

  it('never reserves more of a product at a facility than its ATP, nor at one that cannot ship, and reserves what it allocates', () => {
    fc.assert(
      fc.property(input, (batch) => {
        const plan = planAllocations(batch);
        const shippers = new Set(batch.facilities.filter((facility) => facility.canShip).map((facility) => facility.id));
        for (const reservation of plan.reservations) {
          expect(shippers.has(reservation.facilityId)).toBe(true);
          expect(reservation.quantity).toBeLessThanOrEqual(initialAtp(batch.stock, reservation.facilityId, reservation.productId));
          const allocated = plan.orders
            .flatMap((o) => o.allocations)
            .filter((a) => a.facilityId === reservation.facilityId && a.productId === reservation.productId)
            .reduce((sum, a) => sum + a.quantity, 0);
          expect(reservation.quantity).toBe(allocated);
        }
      }),
    );
  });

  it('allocates every line whole exactly once or backorders it, never both and never loses one', () => {
    fc.assert(
      fc.property(input, (batch) => {
        const plan = planAllocations(batch);
        batch.orders.forEach((requested, index) => {
          const planned = plan.orders[index];
          expect(planned.orderId).toBe(requested.orderId);
          const outcomeIds = [...planned.allocations.map((a) => a.itemId), ...planned.backorderedItemIds].sort();
          expect(outcomeIds).toEqual(requested.lines.map((line) => line.itemId).sort());
          for (const allocation of planned.allocations) {
            const line = requested.lines.find((l) => l.itemId === allocation.itemId)!;
            expect(allocation).toMatchObject({ productId: line.productId, quantity: line.quantity });
          }
        });
      }),
    );
  });

  it('gives each order the status its allocations say', () => {
    fc.assert(
      fc.property(input, (batch) => {
        for (const planned of planAllocations(batch).orders) {
          expect(planned.status).toBe(expectedStatus(planned));
        }
      }),
    );
  });

  it('ships from exactly one facility, the nearest able to (ties: more stock of the order’s products, then code), when one can ship the whole order', () => {
    fc.assert(
      fc.property(input, (batch) => {
        const plan = planAllocations(batch);
        const left = new Map(batch.stock.map((level) => [`${level.facilityId}/${level.productId}`, level.availableToPromise]));
        batch.orders.forEach((requested, index) => {
          const planned = plan.orders[index];
          const able = batch.facilities.filter((facility) => facility.canShip && canShipWhole(facility.id, requested.lines, left));
          if (able.length > 0) {
            const products = [...new Set(requested.lines.map((line) => line.productId))];
            const balance = (facilityId: string) =>
              products.reduce((sum, productId) => sum + Math.max(0, left.get(`${facilityId}/${productId}`) ?? 0), 0);
            const nearest = able
              .map((facility) => ({
                id: facility.id,
                distance: requested.shipTo === null ? 0 : haversineKm(facility, requested.shipTo),
                balance: balance(facility.id),
              }))
              .sort((a, b) => a.distance - b.distance || b.balance - a.balance || (a.id < b.id ? -1 : 1))[0];
            expect(planned.status).toBe('BROKERED');
            expect(new Set(planned.allocations.map((a) => a.facilityId))).toEqual(new Set([nearest.id]));
          }
          for (const a of planned.allocations) left.set(`${a.facilityId}/${a.productId}`, left.get(`${a.facilityId}/${a.productId}`)! - a.quantity);
        });
      }),
    );
  });

  it('plans the same batch the same way every time and leaves the input untouched', () => {
    fc.assert(
      fc.property(input, (batch) => {
        const before = structuredClone(batch);
        const first = planAllocations(batch);
        expect(batch).toEqual(before);
        expect(planAllocations(batch)).toEqual(first);
      }),
    );
  });

  function expectedStatus(planned: OrderAllocation): OrderAllocation['status'] {
    if (planned.backorderedItemIds.length === 0) return 'BROKERED';
    return planned.allocations.length === 0 ? 'BACKORDERED' : 'PARTIALLY_BROKERED';
  }

  function canShipWhole(facilityId: string, lines: LineToAllocate[], left: Map<string, number>): boolean {
    const needed = new Map<string, number>();
    for (const line of lines) needed.set(line.productId, (needed.get(line.productId) ?? 0) + line.quantity);
    return [...needed].every(([productId, quantity]) => (left.get(`${facilityId}/${productId}`) ?? 0) >= quantity);
  }
});
