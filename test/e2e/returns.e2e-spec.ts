import { valueWithin } from '../support/http';
import {
  ADDRESS,
  apiClient,
  ApiFixture,
  expectErrorBody,
  expectValidationError,
  Fulfillment,
  InventoryRow,
  Order,
  startApi,
} from '../support/api-fixture';
import { settleAndAssertInvariants } from '../support/invariants';

interface Return {
  id: string;
  orderId: string;
  facilityId: string;
  status: string;
  restocked: boolean | null;
  items: { itemId: string; productId: string; quantity: number; reason: string }[];
  createdAt: string;
  receivedAt: string | null;
}

interface HistoryEntry {
  type: string;
  itemId?: string;
  facilityId?: string;
  reason?: string;
  returnId?: string;
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Returns (docs/api.md, Fulfilment) on the built apps, with a worker process that re-routes waiting orders when a return restocks. */
describe('returns', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('returns');
    await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const createOrder = async (productId: string, quantity: number) => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'r@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId, quantity }],
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  /** The order once the worker has routed it to `status`. */
  const orderIn = (orderId: string, status: string) =>
    valueWithin(async () => {
      const order = (await f.api<Order>('GET', `/orders/${orderId}`)).body;
      return order.status === status ? order : undefined;
    }, `order ${orderId} to be ${status}`);
  const stock = async (facilityId: string, productId: string) =>
    (await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facilityId}&productId=${productId}`)).body.items[0];

  it('ships an order, takes it back with restock, and the restocked unit goes to an order that waited for it', async () => {
    const facility = await f.createFacility();
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 2);
    const shippedOrder = await orderIn((await createOrder(product.id, 2)).id, 'BROKERED');
    const shipped = await f.api<Fulfillment>('POST', `/orders/${shippedOrder.id}/fulfillments`, { facilityId: facility.id });
    expect(shipped.status).toBe(201);
    expect(await stock(facility.id, product.id)).toMatchObject({ quantityOnHand: 0, quantityReserved: 0 });
    const waiting = await orderIn((await createOrder(product.id, 1)).id, 'BACKORDERED');
    const [item] = shippedOrder.items;

    const requested = await f.api<Return>('POST', `/orders/${shippedOrder.id}/returns`, {
      facilityId: facility.id,
      items: [{ itemId: item.id, quantity: 1, reason: 'DAMAGED' }],
    });

    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      orderId: shippedOrder.id,
      facilityId: facility.id,
      status: 'REQUESTED',
      restocked: null,
      receivedAt: null,
    });
    expect(requested.body.items).toEqual([{ itemId: item.id, productId: product.id, quantity: 1, reason: 'DAMAGED' }]);
    expect((await f.api<Return>('GET', `/returns/${requested.body.id}`)).body).toEqual(requested.body);
    expect((await f.api<Return[]>('GET', `/orders/${shippedOrder.id}/returns`)).body).toEqual([requested.body]);

    const received = await f.api<Return>('POST', `/returns/${requested.body.id}/receive`, { restock: true });

    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ id: requested.body.id, status: 'RECEIVED', restocked: true, receivedAt: expect.any(String) });
    const ledger = await f.sql(`SELECT on_hand_delta AS "onHand" FROM inventory_ledger WHERE reason = 'return restocked' AND order_id = $1`, [
      shippedOrder.id,
    ]);
    expect(ledger).toEqual([{ onHand: 1 }]);
    const rerouted = await orderIn(waiting.id, 'BROKERED');
    expect(rerouted.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: facility.id });
    expect(await stock(facility.id, product.id)).toMatchObject({ quantityOnHand: 1, quantityReserved: 1 });
    const history = (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${shippedOrder.id}/history`)).body.items;
    expect(history.filter((entry) => entry.type === 'RETURN_RECEIVED')).toEqual([
      expect.objectContaining({ itemId: item.id, facilityId: facility.id, reason: 'DAMAGED', returnId: requested.body.id }),
    ]);

    // The same receive again answers the return as it is; the other restock is a conflict.
    const again = await f.api<Return>('POST', `/returns/${requested.body.id}/receive`, { restock: true });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(received.body);
    expectErrorBody(await f.api('POST', `/returns/${requested.body.id}/receive`, { restock: false }), 409);
    expect(await stock(facility.id, product.id)).toMatchObject({ quantityOnHand: 1 });

    // One unit is left to return; two would be more than shipped.
    const over = expectErrorBody(
      await f.api('POST', `/orders/${shippedOrder.id}/returns`, {
        facilityId: facility.id,
        items: [{ itemId: item.id, quantity: 2, reason: 'OTHER' }],
      }),
      409,
    );
    expect(over.message).toContain(item.id);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('answers bad input with 400, unknown things with 404 and items not shipped with 409, never 500', async () => {
    const facility = await f.createFacility();
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 5);
    const order = await orderIn((await createOrder(product.id, 1)).id, 'BROKERED');
    const itemId = order.items[0].id;
    const request = (body: unknown, orderId = order.id) => f.api('POST', `/orders/${orderId}/returns`, body);
    const line = { itemId, quantity: 1, reason: 'WRONG_ITEM' };

    expectValidationError(await request({ facilityId: facility.id, items: [{ ...line, reason: 'BROKEN' }] }), 'items[0].reason');
    expectValidationError(await request({ facilityId: facility.id, items: [{ ...line, quantity: 0 }] }), 'items[0].quantity');
    expectValidationError(await request({ facilityId: facility.id, items: [] }), 'items');
    expectValidationError(await request({ facilityId: facility.id, items: [1] }));
    expectValidationError(await request({ items: [line] }), 'facilityId');
    expectValidationError(await request({ facilityId: facility.id, items: [line, line] }), 'items[1].itemId');
    expectValidationError(await request({ facilityId: facility.id, items: [line] }, 'not-a-uuid'));
    expectValidationError(await f.api('POST', `/returns/${UNKNOWN}/receive`, { restock: 'yes' }), 'restock');
    expectErrorBody(await request({ facilityId: facility.id, items: [line] }, UNKNOWN), 404);
    expectErrorBody(await request({ facilityId: UNKNOWN, items: [line] }), 404);
    expectErrorBody(await request({ facilityId: facility.id, items: [{ ...line, itemId: UNKNOWN }] }), 404);
    expectErrorBody(await f.api('POST', `/returns/${UNKNOWN}/receive`, { restock: true }), 404);
    expectErrorBody(await f.api('GET', `/returns/${UNKNOWN}`), 404);
    expectErrorBody(await f.api('GET', `/orders/${UNKNOWN}/returns`), 404);
    const notShipped = expectErrorBody(await request({ facilityId: facility.id, items: [line] }), 409);
    expect(notShipped.message).toContain(itemId);
    expect((await f.api<Return[]>('GET', `/orders/${order.id}/returns`)).body).toEqual([]);
  });

  it('needs the fulfilment permission, and a key restricted to other facilities does not reach the return facility', async () => {
    const facility = await f.createFacility();
    const elsewhere = await f.createFacility();
    const product = await f.createProduct();
    await f.setStock(facility.id, product.id, 1);
    const order = await orderIn((await createOrder(product.id, 1)).id, 'BROKERED');
    expect((await f.api('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id })).status).toBe(201);
    const body = { facilityId: facility.id, items: [{ itemId: order.items[0].id, quantity: 1, reason: 'CHANGED_MIND' }] };
    const readOnly = apiClient(f.url, (await f.createApiKey(undefined, { permissions: ['orders:read'] })).key);
    const otherFacility = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [elsewhere.id] })).key);

    expectErrorBody(await readOnly('POST', `/orders/${order.id}/returns`, body), 403);
    expectErrorBody(await otherFacility('POST', `/orders/${order.id}/returns`, body), 404);
    const requested = await f.api<Return>('POST', `/orders/${order.id}/returns`, body);
    expect(requested.status).toBe(201);
    expect((await readOnly<Return>('GET', `/returns/${requested.body.id}`)).status).toBe(200);
    expectErrorBody(await readOnly('POST', `/returns/${requested.body.id}/receive`, { restock: false }), 403);
    expectErrorBody(await otherFacility('POST', `/returns/${requested.body.id}/receive`, { restock: false }), 404);
    expect((await f.api<Return>('GET', `/returns/${requested.body.id}`)).body.status).toBe('REQUESTED');
  });
});
