import { eventually, valueWithin } from '../support/http';
import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiCall,
  ApiFixture,
  apiClient,
  Facility,
  httpRequest,
  InventoryRow,
  Order,
  Product,
  startApi,
} from '../support/api-fixture';

const ROUTED_WITHIN_MS = 30_000;
const WAITING = new Set(['CREATED', 'APPROVED']);

interface HistoryEntry {
  type: string;
  itemId?: string | null;
  facilityId?: string | null;
  routing?: { groupId: string; routingId: string; ruleId: string } | null;
  reason?: string | null;
}

interface RoutingGroupBody {
  id: string;
  routings: { id: string; rules: { id: string }[] }[];
}

interface Simulation {
  routingId: string | null;
  allocations: { itemId: string | null; productId: string; quantity: number; facilityId: string; ruleId: string }[];
  unfilled: { productId: string; quantity: number; action: string }[];
  trace: {
    ruleId: string;
    outcome: string;
    candidates: { facilityId: string; distanceKm: number | null; brokerable: number; kept: boolean; reason: string }[];
  }[];
}

/**
 * Configurable routing end to end: routing groups written on the internal API steer what the
 * async-workers allocate, facility capacity holds under concurrent brokering in several processes,
 * the simulator predicts brokering without reserving anything, and rejected items are routed again
 * elsewhere.
 */
describe('configurable routing by the async-workers', () => {
  let f: ApiFixture;
  let second: ApiCall;

  beforeAll(async () => {
    f = await startApi('routing');
    const instance = await f.startInstance();
    second = apiClient(instance.url, f.key.key);
    await Promise.all([f.startWorker(), f.startWorker()]);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const internal = <T>(method: string, path: string, body?: unknown) =>
    httpRequest<T>(`${f.internalUrl}/internal${path}`, method, body, ADMIN_HEADERS);

  const createOrder = async (api: ApiCall, items: { productId: string; quantity: number }[], more: Record<string, unknown> = {}) => {
    const response = await api<Order>('POST', '/orders', { customer: { email: 'r@example.com' }, shippingAddress: ADDRESS, items, ...more });
    expect(response.status).toBe(201);
    return response.body;
  };

  const orderWhen = (orderId: string, done: (order: Order) => boolean, what: string) =>
    valueWithin(
      async () => {
        const order = (await f.api<Order>('GET', `/orders/${orderId}`)).body;
        return done(order) ? order : undefined;
      },
      `order ${orderId} ${what}`,
      ROUTED_WITHIN_MS,
      100,
    );
  const routed = (orderId: string) =>
    orderWhen(orderId, (order) => !WAITING.has(order.status) && order.items.every((item) => item.status !== 'CREATED'), 'to be routed');

  const stockAt = async (facility: Facility, product: Product) =>
    (await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`)).body.items[0];

  /** Facilities east of the customer in Manhattan: the larger the offset, the farther. */
  const facilityEast = (degrees: number, more: Record<string, unknown> = {}) =>
    f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude + degrees, ...more });

  it('capacity: of 30 concurrent orders through two sync-api and two workers, exactly 10 go to the nearest store with capacity 10', async () => {
    const product = await f.createProduct();
    const store = await facilityEast(0.01, { type: 'STORE', maximumOrdersPerDay: 10 });
    const warehouse = await facilityEast(0.5);
    await f.setStock(store.id, product.id, 100);
    await f.setStock(warehouse.id, product.id, 100);

    const created = await Promise.all(
      Array.from({ length: 30 }, (_, n) => createOrder(n % 2 === 0 ? f.api : second, [{ productId: product.id, quantity: 1 }])),
    );
    const orders = await Promise.all(created.map((order) => routed(order.id)));
    const at = (facility: Facility) => orders.filter((order) => order.items[0].facilityId === facility.id).length;
    expect([at(store), at(warehouse)]).toEqual([10, 20]);

    const capacity = await f.api('GET', `/facilities/${store.id}/capacity`);
    expect(capacity.status).toBe(200);
    expect(capacity.body).toMatchObject({ facilityId: store.id, maximumOrdersPerDay: 10, ordersAllocated: 10, remaining: 0 });
    expect(await stockAt(store, product)).toMatchObject({ quantityReserved: 10 });
  });

  it('allowBrokering: false takes a facility out of routing at once, whichever instance takes the order', async () => {
    const product = await f.createProduct();
    const nearest = await facilityEast(0.02);
    const farther = await facilityEast(0.6);
    await f.setStock(nearest.id, product.id, 10);
    await f.setStock(farther.id, product.id, 10);
    expect((await second('PATCH', `/facilities/${nearest.id}`, { allowBrokering: false })).status).toBe(200);

    const order = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 1 }])).id);
    expect(order.items[0].facilityId).toBe(farther.id);
  });

  it('simulate returns what brokering then does, explains every dropped candidate and reserves nothing', async () => {
    const [shirt, cap] = [await f.createProduct(), await f.createProduct()];
    const near = await facilityEast(0.03);
    const middle = await facilityEast(0.3);
    const disabled = await facilityEast(0.01, { allowBrokering: false });
    await f.setStock(near.id, shirt.id, 5);
    await f.setStock(middle.id, shirt.id, 5);
    await f.setStock(middle.id, cap.id, 5);
    await f.setStock(disabled.id, shirt.id, 5);
    const lines = [
      { productId: shirt.id, quantity: 1 },
      { productId: cap.id, quantity: 1 },
    ];

    const simulated = await internal<Simulation>('POST', '/routing/simulate', {
      order: { customer: { email: 's@example.com' }, shippingAddress: ADDRESS, items: lines },
    });
    expect(simulated.status).toBe(200);
    expect(simulated.body.allocations.map((a) => [a.productId, a.facilityId])).toEqual([
      [shirt.id, middle.id],
      [cap.id, middle.id],
    ]);
    expect(simulated.body.unfilled).toEqual([]);
    const [single, split] = simulated.body.trace;
    expect(split.outcome).toBe('NOT_RUN');
    const reasonOf = (facility: Facility) => single.candidates.find((candidate) => candidate.facilityId === facility.id);
    expect(single.outcome).toBe('FULL');
    expect(reasonOf(middle)).toMatchObject({ kept: true, reason: 'CHOSEN', brokerable: 10 });
    expect(reasonOf(near)).toMatchObject({ kept: false, reason: 'NO_STOCK' });
    expect(reasonOf(disabled)).toMatchObject({ kept: false, reason: 'BROKERING_DISABLED' });
    expect(await stockAt(middle, shirt)).toMatchObject({ quantityReserved: 0 });

    const order = await routed((await createOrder(f.api, lines)).id);
    expect(order.items.map((item) => item.facilityId)).toEqual([middle.id, middle.id]);

    const again = await internal<Simulation>('POST', '/routing/simulate', { orderId: order.id });
    expect(again.status).toBe(200);
    expect(again.body.allocations).toEqual([]);
  });

  it('a routing group written on the internal API steers brokering, and the history names the rule of each allocation', async () => {
    const product = await f.createProduct();
    const nearWarehouse = await facilityEast(0.04);
    const farStore = await facilityEast(0.7, { type: 'STORE' });
    await f.setStock(nearWarehouse.id, product.id, 10);
    await f.setStock(farStore.id, product.id, 10);
    const groups = (await internal<{ items: (RoutingGroupBody & { trigger: string; status: string })[] }>('GET', '/routing/groups')).body.items;
    const defaultGroup = groups.find((group) => group.trigger === 'ORDER_APPROVED' && group.status === 'ACTIVE')!;

    const marketplace = await f.createApiKey(undefined, { salesChannel: 'marketplace' });
    const market = apiClient(f.url, marketplace.key);
    const group = await internal<RoutingGroupBody>('POST', '/routing/groups', {
      name: 'Stores for the marketplace',
      trigger: 'ORDER_APPROVED',
      status: 'PAUSED',
    });
    expect(group.status).toBe(201);
    const storesFirst = await internal<{ id: string }>('POST', `/routing/groups/${group.body.id}/routings`, {
      name: 'Marketplace',
      sequence: 1,
      status: 'ACTIVE',
      orderFilters: [{ field: 'salesChannel', operator: 'equals', value: 'marketplace' }],
      orderSorts: [{ field: 'orderDate', direction: 'asc' }],
    });
    const storeRule = await internal<{ id: string }>('POST', `/routing/routings/${storesFirst.body.id}/rules`, {
      name: 'Stores',
      sequence: 1,
      status: 'ACTIVE',
      assignment: 'SINGLE',
      inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }],
      inventorySorts: [{ field: 'distance', direction: 'asc' }],
      unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' },
    });
    const rest = await internal<{ id: string }>('POST', `/routing/groups/${group.body.id}/routings`, {
      name: 'Everyone else',
      sequence: 2,
      status: 'ACTIVE',
    });
    await internal('POST', `/routing/routings/${rest.body.id}/rules`, {
      name: 'Nearest',
      sequence: 1,
      status: 'ACTIVE',
      assignment: 'SINGLE',
      inventorySorts: [{ field: 'distance', direction: 'asc' }],
      unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' },
    });
    try {
      expect((await internal('PATCH', `/routing/groups/${defaultGroup.id}`, { status: 'PAUSED' })).status).toBe(200);
      expect((await internal('PATCH', `/routing/groups/${group.body.id}`, { status: 'ACTIVE' })).status).toBe(200);

      const fromMarket = await routed((await createOrder(market, [{ productId: product.id, quantity: 1 }])).id);
      const fromWeb = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 1 }])).id);
      expect(fromMarket.items[0].facilityId).toBe(farStore.id);
      expect(fromWeb.items[0].facilityId).toBe(nearWarehouse.id);

      const history = (await market<{ items: HistoryEntry[] }>('GET', `/orders/${fromMarket.id}/history`)).body.items;
      expect(history.find((entry) => entry.type === 'ALLOCATED')).toMatchObject({
        facilityId: farStore.id,
        routing: { groupId: group.body.id, routingId: storesFirst.body.id, ruleId: storeRule.body.id },
      });
    } finally {
      await internal('PATCH', `/routing/groups/${group.body.id}`, { status: 'PAUSED' });
      await internal('PATCH', `/routing/groups/${defaultGroup.id}`, { status: 'ACTIVE' });
    }
  });

  it("parks unfillable items in a merchant queue; a SCHEDULE group routes them, by an operator's run and on its schedule, and records each run", async () => {
    const product = await f.createProduct();
    const warehouse = await facilityEast(0.9);
    const defaultGroup = (
      await internal<{ items: (RoutingGroupBody & { trigger: string; status: string })[] }>('GET', '/routing/groups')
    ).body.items.find((group) => group.trigger === 'ORDER_APPROVED' && group.status === 'ACTIVE')!;
    const rule = (unfilledAction: Record<string, unknown>) => ({
      name: 'Nearest',
      sequence: 1,
      status: 'ACTIVE',
      assignment: 'SINGLE',
      inventorySorts: [{ field: 'distance', direction: 'asc' }],
      unfilledAction,
    });
    const parking = (
      await internal<RoutingGroupBody>('POST', '/routing/groups', { name: 'Park for review', trigger: 'ORDER_APPROVED', status: 'PAUSED' })
    ).body;
    const parkingRouting = (
      await internal<{ id: string }>('POST', `/routing/groups/${parking.id}/routings`, { name: 'All', sequence: 1, status: 'ACTIVE' })
    ).body;
    await internal('POST', `/routing/routings/${parkingRouting.id}/rules`, rule({ type: 'MOVE_TO_QUEUE', queue: 'REVIEW' }));
    const review = (
      await internal<RoutingGroupBody>('POST', '/routing/groups', {
        name: 'Review queue',
        trigger: 'SCHEDULE',
        cron: '* * * * * *',
        status: 'PAUSED',
      })
    ).body;
    const reviewRouting = (
      await internal<{ id: string }>('POST', `/routing/groups/${review.id}/routings`, {
        name: 'Review',
        sequence: 1,
        status: 'ACTIVE',
        orderFilters: [{ field: 'queue', operator: 'equals', value: 'REVIEW' }],
      })
    ).body;
    await internal('POST', `/routing/routings/${reviewRouting.id}/rules`, rule({ type: 'MOVE_TO_QUEUE', queue: 'REVIEW' }));
    const allocated = (orderId: string) => orderWhen(orderId, (order) => order.items[0].status === 'ALLOCATED', 'to have its item allocated');
    const runsOf = async (groupId: string) =>
      (
        await internal<{ items: { id: string; trigger: string; finishedAt: string | null; itemsAllocated: number }[] }>(
          'GET',
          `/routing/runs?groupId=${groupId}&limit=10`,
        )
      ).body.items;
    try {
      expect((await internal('PATCH', `/routing/groups/${defaultGroup.id}`, { status: 'PAUSED' })).status).toBe(200);
      expect((await internal('PATCH', `/routing/groups/${parking.id}`, { status: 'ACTIVE' })).status).toBe(200);

      const first = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 1 }])).id);
      expect(first.items[0]).toMatchObject({ status: 'BACKORDERED', queue: 'REVIEW' });
      const queues = (await internal<{ items: { queue: string; items: number; orders: number }[] }>('GET', '/routing/queues')).body.items;
      expect(queues.find((queue) => queue.queue === 'REVIEW')).toMatchObject({ items: 1, orders: 1 });
      await f.setStock(warehouse.id, product.id, 5);

      const byReview = await internal<Simulation>('POST', '/routing/simulate', { orderId: first.id, groupId: review.id });
      expect(byReview.body.allocations.map((allocation) => [allocation.itemId, allocation.facilityId])).toEqual([[first.items[0].id, warehouse.id]]);
      const byEvents = await internal<Simulation>('POST', '/routing/simulate', { orderId: first.id });
      expect(byEvents.body.allocations).toEqual([]);

      const requested = await internal<{ id: string }>('POST', `/routing/groups/${review.id}/runs`);
      expect(requested.status).toBe(202);
      expect((await allocated(first.id)).items[0].facilityId).toBe(warehouse.id);
      await eventually(async () => (await runsOf(review.id)).some((run) => run.id === requested.body.id && run.finishedAt !== null));
      expect((await runsOf(review.id)).find((run) => run.id === requested.body.id)).toMatchObject({ trigger: 'MANUAL', itemsAllocated: 1 });

      await f.setStock(warehouse.id, product.id, 1);
      const second = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 2 }])).id);
      expect(second.items[0]).toMatchObject({ status: 'BACKORDERED', queue: 'REVIEW' });
      await f.setStock(warehouse.id, product.id, 6);
      expect((await internal('PATCH', `/routing/groups/${review.id}`, { status: 'ACTIVE' })).status).toBe(200);
      expect((await allocated(second.id)).items[0].facilityId).toBe(warehouse.id);
      await eventually(async () => (await runsOf(review.id)).some((run) => run.trigger === 'SCHEDULE' && run.itemsAllocated === 1));
      expect((await runsOf(review.id)).filter((run) => run.trigger === 'SCHEDULE' && run.itemsAllocated === 1)).toHaveLength(1);
    } finally {
      await internal('PATCH', `/routing/groups/${review.id}`, { status: 'PAUSED' });
      await internal('PATCH', `/routing/groups/${parking.id}`, { status: 'PAUSED' });
      await internal('PATCH', `/routing/groups/${defaultGroup.id}`, { status: 'ACTIVE' });
    }
  });

  describe('rejection', () => {
    const rejectAt = async (reason: string) => {
      const product = await f.createProduct();
      const first = await facilityEast(0.05);
      const next = await facilityEast(0.8);
      await f.setStock(first.id, product.id, 10);
      await f.setStock(next.id, product.id, 10);
      const order = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 2 }])).id);
      expect(order.items[0].facilityId).toBe(first.id);
      const rejected = await f.api<Order>('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason, note: 'checked the shelf' });
      expect(rejected.status).toBe(200);
      return { product, first, next, order, rejected: rejected.body };
    };

    it.each([
      ['NOT_IN_STOCK', 0],
      ['DAMAGED', 8],
      ['MISMATCH', 8],
      ['WORN_DISPLAY', 8],
      ['INACTIVE_STORE', 10],
      ['NO_VARIANCE', 10],
    ])(
      '%s sets on hand at the rejecting facility to %i, with a ledger row, and routes the item to another facility at once',
      async (reason, onHand) => {
        const { product, first, next, order, rejected } = await rejectAt(reason);
        expect(rejected.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: next.id });
        expect(await stockAt(first, product)).toMatchObject({ quantityOnHand: onHand, quantityReserved: 0 });
        expect(await stockAt(next, product)).toMatchObject({ quantityReserved: 2 });
        const ledger = (
          await f.api<{ items: { onHandDelta: number; reservedDelta: number; reason: string; orderId: string | null }[] }>(
            'GET',
            `/inventory/${first.id}/${product.id}/ledger`,
          )
        ).body.items;
        expect(ledger[0]).toMatchObject({ onHandDelta: onHand - 10, reservedDelta: -2, orderId: order.id });
        expect(ledger[0].reason).toContain(reason);
        const history = (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${order.id}/history`)).body.items;
        expect(history.filter((entry) => entry.type === 'REJECTED')).toEqual([expect.objectContaining({ facilityId: first.id, reason })]);
      },
    );

    it('never routes the item back to a facility that rejected it: with no other stock it waits backordered, nothing reserved', async () => {
      const { product, first, next, order, rejected } = await rejectAt('NO_VARIANCE');
      expect(rejected.items[0].facilityId).toBe(next.id);
      const again = await f.api<Order>('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason: 'NO_VARIANCE' });
      expect(again.status).toBe(200);
      expect(again.body.items[0]).toMatchObject({ status: 'BACKORDERED', facilityId: null });
      expect(await stockAt(first, product)).toMatchObject({ quantityReserved: 0 });
      expect(await stockAt(next, product)).toMatchObject({ quantityReserved: 0 });
    });

    it('refuses to reject an item that is not allocated (409), and an unknown reason (400)', async () => {
      const product = await f.createProduct();
      const order = await routed((await createOrder(f.api, [{ productId: product.id, quantity: 1 }])).id);
      expect(order.items[0].status).toBe('BACKORDERED');
      const unallocated = await f.api('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason: 'DAMAGED' });
      expect(unallocated.status).toBe(409);
      const badReason = await f.api('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason: 'BORED' });
      expect(badReason.status).toBe(400);
    });
  });
});
