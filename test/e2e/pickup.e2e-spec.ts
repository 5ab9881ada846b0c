import { valueWithin } from '../support/http';
import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiFixture,
  apiClient,
  documentedRequest,
  expectErrorBody,
  expectValidationError,
  Facility,
  Order,
  Product,
  startApi,
} from '../support/api-fixture';
import { settleAndAssertInvariants } from '../support/invariants';

const WITHIN_MS = 30_000;
const EVERY_SECOND = '* * * * * *';
const CHICAGO = { latitude: 41.88, longitude: -87.63 };

/** Waits up to WITHIN_MS for what `probe` finds. */
const eventually = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => valueWithin(probe, what, WITHIN_MS);

/**
 * Store pickup (docs/api.md, Store pickup) on the built apps: two workers broker orders, re-route
 * them when stock arrives, and run the not-collected schedule every second.
 */
describe('store pickup', () => {
  let f: ApiFixture;
  /** The warehouse next to the customer, always stocked. */
  let warehouse: Facility;
  /** The store the customer collects at, far from the address. */
  let store: Facility;
  let product: Product;

  beforeAll(async () => {
    f = await startApi('pickup');
    await Promise.all([1, 2].map(() => f.startWorker({ AUTO_CANCEL_CRON: EVERY_SECOND })));
    warehouse = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude });
    store = await f.createFacility({ type: 'STORE', ...CHICAGO });
    product = await f.createProduct();
    await f.setStock(warehouse.id, product.id, 100);
    await f.setStock(store.id, product.id, 0);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const createPickup = async (quantity: number, pickupFacilityId = store.id) => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'c@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity }],
      shippingMethod: 'PICKUP',
      pickupFacilityId,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const getOrder = async (id: string) => (await f.api<Order>('GET', `/orders/${id}`)).body;
  const orderWhen = (id: string, holds: (order: Order) => boolean, what: string) =>
    eventually(async () => {
      const order = await getOrder(id);
      return holds(order) ? order : undefined;
    }, what);
  const stockAt = async (facilityId: string) =>
    (
      await f.sql<{ onHand: number; reserved: number }>(
        'SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
        [facilityId, product.id],
      )
    )[0];
  const historyOf = async (id: string) =>
    (await f.api<{ items: { type: string; itemId?: string; reason?: string; note?: string }[] }>('GET', `/orders/${id}/history`)).body.items;
  const eventCount = async (topic: string, orderId: string) =>
    Number((await f.sql<{ count: string }>('SELECT count(*) FROM outbox_event WHERE topic = $1 AND aggregate_id = $2', [topic, orderId]))[0].count);

  it('routes only to the chosen store: without stock there the order waits in REJECTED (not at the stocked warehouse) until stock arrives there', async () => {
    const created = await createPickup(2);
    const waiting = await orderWhen(created.id, (order) => order.status === 'BACKORDERED', 'the pickup order to be routed');
    expect(waiting.items).toEqual([expect.objectContaining({ status: 'BACKORDERED', queue: 'REJECTED', facilityId: null })]);
    expect(await stockAt(warehouse.id)).toEqual({ onHand: 100, reserved: 0 });

    const simulated = await documentedRequest<{ trace: { candidates: { facilityId: string; kept: boolean; reason: string }[] }[] }>(
      `${f.internalUrl}/internal/routing/simulate`,
      'POST',
      { orderId: created.id },
      ADMIN_HEADERS,
    );
    expect(simulated.status).toBe(200);
    expect(simulated.body.trace[0].candidates).toEqual(
      expect.arrayContaining([
        { facilityId: warehouse.id, distanceKm: expect.any(Number), brokerable: 100, kept: false, reason: 'NOT_PICKUP_FACILITY' },
      ]),
    );

    await f.setStock(store.id, product.id, 3);
    const allocated = await orderWhen(
      created.id,
      (order) => order.status === 'BROKERED',
      'the order to be allocated at the store once stock arrives',
    );
    expect(allocated.items).toEqual([expect.objectContaining({ status: 'ALLOCATED', queue: null, facilityId: store.id })]);
    expect(await stockAt(store.id)).toEqual({ onHand: 3, reserved: 2 });

    // Ready, then handover: the order completes and the stock leaves the store.
    const ready = await f.api<Order>('POST', `/orders/${created.id}/ready-for-pickup`, { facilityId: store.id });
    expect(ready.status).toBe(200);
    expect(ready.body.items.map((item) => item.status)).toEqual(['READY_FOR_PICKUP']);
    expect(await eventCount('order.ready_for_pickup', created.id)).toBe(1);
    const handed = await f.api<Order>('POST', `/orders/${created.id}/handover`, {
      proof: { name: 'Ada Lovelace', idType: 'PASSPORT', idNumber: 'X1' },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.status).toBe('COMPLETED');
    expect(handed.body.items.map((item) => item.status)).toEqual(['HANDED_OVER']);
    expect(await stockAt(store.id)).toEqual({ onHand: 1, reserved: 0 });
    const ledger = await f.sql(
      'SELECT on_hand_delta AS "onHand", reserved_delta AS reserved FROM inventory_ledger WHERE order_id = $1 AND reason = $2',
      [created.id, 'handed over'],
    );
    expect(ledger).toEqual([{ onHand: -2, reserved: -2 }]);
    const history = await historyOf(created.id);
    expect(
      history.filter((entry) => entry.type !== 'CREATED' && entry.type !== 'APPROVED').map((entry) => [entry.type, entry.reason ?? null]),
    ).toEqual([
      ['QUEUED', 'REJECTED'],
      ['ALLOCATED', null],
      ['READY_FOR_PICKUP', null],
      ['HANDED_OVER', 'handed over'],
    ]);
    expect(history.find((entry) => entry.type === 'HANDED_OVER')?.note).toBe('collected by Ada Lovelace (PASSPORT X1)');
    expect(await eventCount('order.handed_over', created.id)).toBe(1);
  });

  it('answers bad input with 400, 404 or 409, never 500', async () => {
    await f.setStock(store.id, product.id, 10);
    const pickup = await orderWhen((await createPickup(1)).id, (order) => order.status === 'BROKERED', 'a pickup order to be allocated');
    const shippedResponse = await f.api<Order>('POST', '/orders', {
      customer: { email: 'c@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 1 }],
    });
    const shipped = await orderWhen(shippedResponse.body.id, (order) => order.status === 'BROKERED', 'a shipped order to be allocated');
    const unknown = '00000000-0000-4000-8000-000000000000';

    expectValidationError(await f.api('POST', `/orders/${pickup.id}/ready-for-pickup`, {}), 'facilityId');
    expectValidationError(await f.api('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: 'store-1' }), 'facilityId');
    expectValidationError(await f.api('POST', '/orders/not-a-uuid/ready-for-pickup', { facilityId: store.id }));
    expectErrorBody(await f.api('POST', `/orders/${unknown}/ready-for-pickup`, { facilityId: store.id }), 404);
    expectErrorBody(await f.api('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: unknown }), 404);
    expect(expectErrorBody(await f.api('POST', `/orders/${shipped.id}/ready-for-pickup`, { facilityId: warehouse.id }), 409).message).toContain(
      'not a pickup order',
    );
    expect(expectErrorBody(await f.api('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: warehouse.id }), 409).message).toContain(
      `collected at facility ${store.id}`,
    );

    expectValidationError(await f.api('POST', `/orders/${pickup.id}/handover`, {}), 'proof');
    expectValidationError(await f.api('POST', `/orders/${pickup.id}/handover`, { proof: {} }), 'proof.name');
    expectValidationError(await f.api('POST', `/orders/${pickup.id}/handover`, { proof: { name: 'x'.repeat(201) } }), 'proof.name');
    expectValidationError(await f.api('POST', `/orders/${pickup.id}/handover`, { proof: { name: 'Ada', idNumber: 7 } }), 'proof.idNumber');
    expectErrorBody(await f.api('POST', `/orders/${unknown}/handover`, { proof: { name: 'Ada' } }), 404);
    expect(expectErrorBody(await f.api('POST', `/orders/${pickup.id}/handover`, { proof: { name: 'Ada' } }), 409).message).toContain(
      'no item ready for pickup (items: ALLOCATED)',
    );
    expectErrorBody(await f.api('POST', `/orders/${shipped.id}/handover`, { proof: { name: 'Ada' } }), 409);

    // A key of another facility does not see the store; a key without the fulfilment permission is refused.
    const elsewhere = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [warehouse.id] })).key);
    expectErrorBody(await elsewhere('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: store.id }), 404);
    expectErrorBody(await elsewhere('POST', `/orders/${pickup.id}/handover`, { proof: { name: 'Ada' } }), 404);
    const reader = apiClient(f.url, (await f.createApiKey(undefined, { permissions: ['orders:read'] })).key);
    expectErrorBody(await reader('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: store.id }), 403);

    expect((await getOrder(pickup.id)).items[0].status).toBe('ALLOCATED');
    const ready = await f.api<Order>('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: store.id });
    expect(ready.status).toBe(200);
    expect(expectErrorBody(await f.api('POST', `/orders/${pickup.id}/ready-for-pickup`, { facilityId: store.id }), 409).message).toContain(
      'items: READY_FOR_PICKUP',
    );
    expect((await f.api<Order>('POST', `/orders/${pickup.id}/handover`, { proof: { name: 'Ada' } })).body.status).toBe('COMPLETED');
  });

  it('cancels an order not collected within PICKUP_EXPIRY_DAYS once across two workers and releases its stock; one ready since less stays', async () => {
    await f.setStock(store.id, product.id, 10);
    const [expired, recent] = [await createPickup(3), await createPickup(2)];
    for (const { id } of [expired, recent]) {
      await orderWhen(id, (order) => order.status === 'BROKERED', 'the pickup order to be allocated');
      expect((await f.api('POST', `/orders/${id}/ready-for-pickup`, { facilityId: store.id })).status).toBe(200);
    }
    expect(await stockAt(store.id)).toEqual({ onHand: 10, reserved: 5 });
    const readySince = (id: string, days: number) =>
      f.sql(`UPDATE order_history SET at = now() - make_interval(days => $2) WHERE order_id = $1 AND type = 'READY_FOR_PICKUP'`, [id, days]);
    await readySince(recent.id, 6);
    await readySince(expired.id, 8);

    const cancelled = await orderWhen(expired.id, (order) => order.status === 'CANCELLED', 'the not-collected order to be cancelled');
    expect(cancelled.items.map((item) => item.status)).toEqual(['CANCELLED']);
    expect(await stockAt(store.id)).toEqual({ onHand: 10, reserved: 2 });
    // Let a few more ticks of both workers pass over it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const history = await historyOf(expired.id);
    expect(history.filter((entry) => entry.type === 'CANCELLED').map((entry) => entry.reason ?? null)).toEqual(['not collected', null]);
    expect(await eventCount('order.cancelled', expired.id)).toBe(1);
    const releases = await f.sql('SELECT reserved_delta AS reserved, reason FROM inventory_ledger WHERE order_id = $1 AND reserved_delta < 0', [
      expired.id,
    ]);
    expect(releases).toEqual([{ reserved: -3, reason: 'not collected' }]);
    expect((await getOrder(recent.id)).items[0].status).toBe('READY_FOR_PICKUP');

    await settleAndAssertInvariants(f.databases.databaseUrl);
  });
});
