import { valueWithin } from '../support/http';
import { ADDRESS, ApiFixture, expectErrorBody, expectValidationError, Fulfillment, Order, startApi } from '../support/api-fixture';
import { settleAndAssertInvariants } from '../support/invariants';

const WITHIN_MS = 30_000;
const EVERY_SECOND = '* * * * * *';

/** Waits up to WITHIN_MS for what `probe` finds. */
const eventually = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => valueWithin(probe, what, WITHIN_MS);

/** Item cancel and auto-cancel (docs/api.md, Orders), on the built apps with real worker processes. */
describe('item cancel and auto-cancel', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('item_cancel');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const createOrder = async (items: { productId: string; quantity: number }[]) => {
    const response = await f.api<Order>('POST', '/orders', { customer: { email: 'c@example.com' }, shippingAddress: ADDRESS, items });
    expect(response.status).toBe(201);
    return response.body;
  };
  const brokered = async (items: { productId: string; quantity: number }[]) => {
    const order = await createOrder(items);
    await f.brokerOrders(order.id);
    return (await f.api<Order>('GET', `/orders/${order.id}`)).body;
  };
  /** Parks waiting items in UNFILLABLE as a rule with AUTO_CANCEL_DAYS does, with an auto-cancel time `ago` in the past (none for null). */
  const park = (itemIds: string[], ago: string | null) =>
    f.sql(`UPDATE order_item SET queue = 'UNFILLABLE', auto_cancel_at = now() - $2::interval WHERE id = ANY($1::uuid[])`, [itemIds, ago]);
  const itemOf = (order: Order, productId: string) => order.items.find((item) => item.productId === productId)!;
  const reserved = async (facilityId: string, productId: string) =>
    (
      await f.sql<{ reserved: number }>('SELECT quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2', [
        facilityId,
        productId,
      ])
    )[0].reserved;
  const historyCount = async (itemId: string | null, type: string, orderId?: string) =>
    Number(
      (
        await f.sql<{ count: string }>(
          `SELECT count(*) FROM order_history WHERE type = $1 AND (item_id = $2 OR ($2::uuid IS NULL AND item_id IS NULL AND order_id = $3))`,
          [type, itemId, orderId ?? null],
        )
      )[0].count,
    );
  const eventCount = async (topic: string, orderId: string, itemId?: string) =>
    Number(
      (
        await f.sql<{ count: string }>(
          `SELECT count(*) FROM outbox_event WHERE topic = $1 AND aggregate_id = $2 AND ($3::text IS NULL OR payload->>'itemId' = $3)`,
          [topic, orderId, itemId ?? null],
        )
      )[0].count,
    );

  it('cancelling 1 of 3 items releases exactly its reservation; the last one cancels the order', async () => {
    const facility = await f.createFacility();
    const products = [await f.createProduct(), await f.createProduct(), await f.createProduct()];
    for (const product of products) await f.setStock(facility.id, product.id, 10);
    const order = await brokered(products.map((product, i) => ({ productId: product.id, quantity: i + 1 })));
    expect(order.status).toBe('BROKERED');
    const [first, second, third] = products.map((product) => itemOf(order, product.id));

    const response = await f.api<Order>('POST', `/orders/${order.id}/items/${second.id}/cancel`, { reason: 'customer request' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('BROKERED');
    expect(response.body.items.map((item) => [item.id, item.status])).toEqual(
      expect.arrayContaining([
        [first.id, 'ALLOCATED'],
        [second.id, 'CANCELLED'],
        [third.id, 'ALLOCATED'],
      ]),
    );
    expect(await Promise.all(products.map((product) => reserved(facility.id, product.id)))).toEqual([1, 0, 3]);
    const releases = await f.sql<{ productId: string; reservedDelta: number; onHandDelta: number; reason: string }>(
      `SELECT product_id AS "productId", reserved_delta AS "reservedDelta", on_hand_delta AS "onHandDelta", reason
         FROM inventory_ledger WHERE order_id = $1 AND reserved_delta < 0`,
      [order.id],
    );
    expect(releases).toEqual([{ productId: products[1].id, reservedDelta: -2, onHandDelta: 0, reason: 'customer request' }]);
    expect(await historyCount(second.id, 'CANCELLED')).toBe(1);
    expect(await eventCount('order.item_cancelled', order.id, second.id)).toBe(1);

    // Again: the same order, nothing written.
    const again = await f.api<Order>('POST', `/orders/${order.id}/items/${second.id}/cancel`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('BROKERED');
    expect(await historyCount(second.id, 'CANCELLED')).toBe(1);
    expect(await eventCount('order.item_cancelled', order.id)).toBe(1);

    expect((await f.api<Order>('POST', `/orders/${order.id}/items/${first.id}/cancel`)).body.status).toBe('BROKERED');
    const last = await f.api<Order>('POST', `/orders/${order.id}/items/${third.id}/cancel`);
    expect(last.status).toBe(200);
    expect(last.body.status).toBe('CANCELLED');
    expect(last.body.items.every((item) => item.status === 'CANCELLED')).toBe(true);
    expect(await Promise.all(products.map((product) => reserved(facility.id, product.id)))).toEqual([0, 0, 0]);
    expect(await historyCount(null, 'CANCELLED', order.id)).toBe(1);
    expect(await eventCount('order.cancelled', order.id)).toBe(1);
    expect(await eventCount('order.item_cancelled', order.id)).toBe(2);
  });

  it('cancelling the last open item completes the order once another item shipped; a shipped item gives 409', async () => {
    const facility = await f.createFacility();
    const inStock = await f.createProduct();
    const missing = await f.createProduct();
    await f.setStock(facility.id, inStock.id, 5);
    const order = await brokered([
      { productId: inStock.id, quantity: 1 },
      { productId: missing.id, quantity: 1 },
    ]);
    expect(order.status).toBe('PARTIALLY_BROKERED');
    const shipped = await f.api<Fulfillment>('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id });
    expect(shipped.status).toBe(201);

    const refused = await f.api('POST', `/orders/${order.id}/items/${itemOf(order, inStock.id).id}/cancel`);
    expect(expectErrorBody(refused, 409).message).toContain('SHIPPED');

    const response = await f.api<Order>('POST', `/orders/${order.id}/items/${itemOf(order, missing.id).id}/cancel`);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('COMPLETED');
    expect(await eventCount('order.item_cancelled', order.id)).toBe(1);
    expect(await eventCount('order.cancelled', order.id)).toBe(0);
  });

  it('bad input gives 400, 404 or 409, never 500', async () => {
    const facility = await f.createFacility();
    const inStock = await f.createProduct();
    const missing = await f.createProduct();
    await f.setStock(facility.id, inStock.id, 5);
    const order = await brokered([
      { productId: inStock.id, quantity: 1 },
      { productId: missing.id, quantity: 1 },
    ]);
    const allocated = itemOf(order, inStock.id);
    const waiting = itemOf(order, missing.id);
    const unknown = '00000000-0000-4000-8000-000000000000';
    // The seeded routing backorders it in BACKORDER, where it has no auto-cancel time to change.
    expect(waiting.queue).toBe('BACKORDER');
    const notParked = await f.api('PATCH', `/orders/${order.id}/items/${waiting.id}`, { autoCancelAt: null });
    expect(expectErrorBody(notParked, 409).message).toContain('BACKORDER');
    await park([waiting.id], null);

    expectValidationError(await f.api('POST', `/orders/${order.id}/items/not-a-uuid/cancel`));
    expectValidationError(await f.api('POST', `/orders/${order.id}/items/${waiting.id}/cancel`, { reason: '' }), 'reason');
    expectErrorBody(await f.api('POST', `/orders/${order.id}/items/${unknown}/cancel`), 404);
    expectErrorBody(await f.api('POST', `/orders/${unknown}/items/${waiting.id}/cancel`), 404);

    const patch = (itemId: string, body: unknown) => f.api<Order>('PATCH', `/orders/${order.id}/items/${itemId}`, body);
    expectValidationError(await patch(waiting.id, { autoCancelAt: 'tomorrow' }), 'autoCancelAt');
    expectValidationError(await patch(waiting.id, { autoCancelAt: '2026-12-24' }), 'autoCancelAt');
    expectValidationError(await patch(waiting.id, { autoCancelAt: '2026-02-30T00:00:00Z' }), 'autoCancelAt');
    expectValidationError(await patch(waiting.id, {}), 'autoCancelAt');
    expectValidationError(await patch(waiting.id, { autoCancelAt: 5 }), 'autoCancelAt');
    expect(expectErrorBody(await patch(allocated.id, { autoCancelAt: null }), 409).message).toContain('ALLOCATED');
    expectErrorBody(await f.api('PATCH', `/orders/${unknown}/items/${waiting.id}`, { autoCancelAt: null }), 404);

    const moved = await patch(waiting.id, { autoCancelAt: '2030-01-02T03:04:05+02:00' });
    expect(moved.status).toBe(200);
    expect(itemOf(moved.body, missing.id).autoCancelAt).toBe('2030-01-02T01:04:05.000Z');
    expect(await historyCount(waiting.id, 'EDITED')).toBe(1);
    await patch(waiting.id, { autoCancelAt: '2030-01-02T01:04:05Z' });
    expect(await historyCount(waiting.id, 'EDITED')).toBe(1);
  });

  it('with a schedule every second and two workers, a passed autoCancelAt cancels the item once; a cleared one never', async () => {
    const facility = await f.createFacility();
    const inStock = await f.createProduct();
    const missing = await f.createProduct();
    await f.setStock(facility.id, inStock.id, 10);
    const lines = [
      { productId: inStock.id, quantity: 1 },
      { productId: missing.id, quantity: 1 },
    ];
    const due = await brokered(lines);
    const kept = await brokered(lines);
    expect([due.status, kept.status]).toEqual(['PARTIALLY_BROKERED', 'PARTIALLY_BROKERED']);
    const dueItem = itemOf(due, missing.id);
    const keptItem = itemOf(kept, missing.id);
    await park([dueItem.id, keptItem.id], '1 hour');
    const cleared = await f.api<Order>('PATCH', `/orders/${kept.id}/items/${keptItem.id}`, { autoCancelAt: null });
    expect(cleared.status).toBe(200);
    expect(itemOf(cleared.body, missing.id).autoCancelAt).toBeNull();

    await Promise.all([1, 2].map(() => f.startWorker({ AUTO_CANCEL_CRON: EVERY_SECOND })));
    const statusOf = async (orderId: string) => (await f.api<Order>('GET', `/orders/${orderId}`)).body;
    const after = await eventually(async () => {
      const order = await statusOf(due.id);
      return itemOf(order, missing.id).status === 'CANCELLED' ? order : undefined;
    }, 'the due item to be auto-cancelled');
    expect(after.status).toBe('BROKERED');
    expect(itemOf(after, inStock.id).status).toBe('ALLOCATED');

    // A later order due too is cancelled at a later tick: by then the ticks have passed over the first ones again.
    const laterCreated = await createOrder(lines);
    const later = await eventually(async () => {
      const order = (await f.api<Order>('GET', `/orders/${laterCreated.id}`)).body;
      return order.status === 'PARTIALLY_BROKERED' ? order : undefined;
    }, 'the later order to be brokered by the workers');
    await park([itemOf(later, missing.id).id], '1 second');
    await eventually(
      async () => (itemOf(await statusOf(later.id), missing.id).status === 'CANCELLED' ? true : undefined),
      'the later item to be auto-cancelled',
    );

    expect(await historyCount(dueItem.id, 'AUTO_CANCELLED')).toBe(1);
    expect(await historyCount(dueItem.id, 'CANCELLED')).toBe(0);
    expect(await eventCount('order.item_cancelled', due.id, dueItem.id)).toBe(1);
    const keptNow = await statusOf(kept.id);
    expect(keptNow.status).toBe('PARTIALLY_BROKERED');
    expect(itemOf(keptNow, missing.id)).toMatchObject({ status: 'BACKORDERED', autoCancelAt: null });
    expect(await historyCount(keptItem.id, 'AUTO_CANCELLED')).toBe(0);

    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('a cancel racing a rejection of the same item: never a 5xx, the item ends cancelled with nothing reserved', async () => {
    const facility = await f.createFacility();
    const raced = await f.createProduct();
    const other = await f.createProduct();
    await f.setStock(facility.id, raced.id, 100);
    await f.setStock(facility.id, other.id, 100);
    for (let round = 0; round < 15; round++) {
      // The workers of the test before broker it.
      const created = await createOrder([
        { productId: raced.id, quantity: 1 },
        { productId: other.id, quantity: 1 },
      ]);
      const order = await eventually(async () => {
        const current = (await f.api<Order>('GET', `/orders/${created.id}`)).body;
        return current.status === 'BROKERED' ? current : undefined;
      }, 'the order to be brokered');
      const item = itemOf(order, raced.id);
      expect(item.status).toBe('ALLOCATED');
      const [cancel, reject] = await Promise.all([
        f.api<Order>('POST', `/orders/${order.id}/items/${item.id}/cancel`),
        f.api<Order>('POST', `/orders/${order.id}/items/${item.id}/reject`, { reason: 'INACTIVE_STORE' }),
      ]);
      expect(cancel.status).toBe(200);
      expect([200, 409]).toContain(reject.status);
      const after = (await f.api<Order>('GET', `/orders/${order.id}`)).body;
      expect(itemOf(after, raced.id).status).toBe('CANCELLED');
      expect(after.status).toBe('BROKERED');
    }
    expect(await reserved(facility.id, raced.id)).toBe(0);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });
});
