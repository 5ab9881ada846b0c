import { valueWithin } from '../support/http';
import { assertInvariants } from '../support/invariants';
import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiFixture,
  Facility,
  Fulfillment,
  httpRequest,
  InventoryRow,
  Order,
  Product,
  startApi,
} from '../support/api-fixture';

const ROUTED_WITHIN_MS = 30_000;
const WAITING = new Set(['CREATED', 'APPROVED']);
const FRANCE = { ...ADDRESS, city: 'Paris', postalCode: '75001', country: 'FR' };
const FAR_AWAY = { ...ADDRESS, city: 'Los Angeles', postalCode: '90028', latitude: 34.1, longitude: -118.33 };

type HeldOrder = Order & { hold: { reason: string; note: string | null; since: string } | null };
interface HistoryEntry {
  type: string;
  itemId?: string;
  reason?: string;
  note?: string;
}

/**
 * Approval rules, holds and releases end to end, with a worker brokering: a rule holds new orders
 * that match it, a hold returns an order's stock for others to take, and a release routes it again.
 */
describe('approval rules, holds and releases', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('order-holds');
    await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const internal = <T>(method: string, path: string, body?: unknown) =>
    httpRequest<T>(`${f.internalUrl}/internal${path}`, method, body, ADMIN_HEADERS);

  const createOrder = async (product: Product, quantity: number, shippingAddress: Record<string, unknown> = ADDRESS) => {
    const response = await f.api<HeldOrder>('POST', '/orders', {
      customer: { email: 'h@example.com' },
      shippingAddress,
      items: [{ productId: product.id, quantity }],
    });
    expect(response.status).toBe(201);
    return response.body;
  };

  const routed = (orderId: string) =>
    valueWithin(
      async () => {
        const order = (await f.api<HeldOrder>('GET', `/orders/${orderId}`)).body;
        return !WAITING.has(order.status) && order.items.every((item) => item.status !== 'CREATED') ? order : undefined;
      },
      `order ${orderId} to be routed`,
      ROUTED_WITHIN_MS,
      100,
    );

  const historyOf = async (orderId: string) => (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${orderId}/history`)).body.items;
  const orderHistory = async (orderId: string) => (await historyOf(orderId)).filter((entry) => entry.itemId === undefined);
  const stockAt = async (facility: Facility, product: Product) =>
    (await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`)).body.items[0];
  const stocked = async (quantity: number, price = '9.50') => {
    const product = await f.createProduct({ price });
    const facility = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude + 0.01 });
    await f.setStock(facility.id, product.id, quantity);
    return { product, facility };
  };

  it('a rule holds orders over an amount from one country; the others are approved and brokered', async () => {
    const rules = {
      rules: [{ name: 'big orders from France', when: { orderTotalAtLeast: '100.00', countryIn: ['FR'] }, holdReason: 'HIGH_RISK_OF_FRAUD' }],
    };
    const put = await internal('PUT', '/approval-rules', rules);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(rules);
    expect((await internal('GET', '/approval-rules')).body).toEqual(rules);

    try {
      const { product } = await stocked(10, '60.00');
      const big = await createOrder(product, 2, FRANCE);
      const small = await createOrder(product, 1, FRANCE);
      const elsewhere = await createOrder(product, 2);
      expect(big).toMatchObject({ status: 'HELD', total: '120.00', hold: { reason: 'HIGH_RISK_OF_FRAUD', note: null } });
      expect(small).toMatchObject({ status: 'APPROVED', hold: null });
      expect(elsewhere).toMatchObject({ status: 'APPROVED', hold: null });

      expect((await routed(small.id)).status).toBe('BROKERED');
      expect((await routed(elsewhere.id)).status).toBe('BROKERED');
      const held = (await f.api<HeldOrder>('GET', `/orders/${big.id}`)).body;
      expect(held).toMatchObject({ status: 'HELD', items: [{ status: 'CREATED', facilityId: null, queue: 'BROKERING' }] });
      expect((await orderHistory(big.id)).map((entry) => [entry.type, entry.reason])).toEqual([
        ['CREATED', undefined],
        ['HELD', 'HIGH_RISK_OF_FRAUD'],
      ]);
      const list = await f.api<{ items: Order[] }>('GET', '/orders?status=HELD&limit=100');
      expect(list.status).toBe(200);
      expect(list.body.items.map((order) => order.id)).toContain(big.id);
      expect(list.body.items.every((order) => order.status === 'HELD')).toBe(true);
    } finally {
      expect((await internal('PUT', '/approval-rules', { rules: [] })).status).toBe(200);
    }
    expect((await internal('GET', '/approval-rules')).body).toEqual({ rules: [] });
  });

  it('a hold on a brokered order returns its stock, another order takes it, and a release routes the first again', async () => {
    const { product, facility } = await stocked(1);
    const first = await routed((await createOrder(product, 1)).id);
    expect(first).toMatchObject({ status: 'BROKERED', items: [{ status: 'ALLOCATED', facilityId: facility.id }] });

    const hold = await f.api<HeldOrder>('POST', `/orders/${first.id}/hold`, { reason: 'CUSTOMER_REQUEST', note: 'wait for the second parcel' });
    expect(hold.status).toBe(200);
    expect(hold.body).toMatchObject({
      status: 'HELD',
      hold: { reason: 'CUSTOMER_REQUEST', note: 'wait for the second parcel' },
      items: [{ status: 'BACKORDERED', facilityId: null, queue: 'BROKERING' }],
    });
    expect(await stockAt(facility, product)).toMatchObject({ quantityOnHand: 1, quantityReserved: 0 });

    const second = await routed((await createOrder(product, 1)).id);
    expect(second).toMatchObject({ status: 'BROKERED', items: [{ status: 'ALLOCATED', facilityId: facility.id }] });

    // A second hold changes nothing: no second history entry, the first hold's reason stays.
    const again = await f.api<HeldOrder>('POST', `/orders/${first.id}/hold`, { reason: 'OTHER' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'HELD', hold: { reason: 'CUSTOMER_REQUEST' } });
    expect((await orderHistory(first.id)).filter((entry) => entry.type === 'HELD')).toEqual([
      expect.objectContaining({ reason: 'CUSTOMER_REQUEST', note: 'wait for the second parcel' }),
    ]);

    await f.setStock(facility.id, product.id, 2);
    const released = await f.api<HeldOrder>('POST', `/orders/${first.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'BROKERED', hold: null, items: [{ status: 'ALLOCATED', facilityId: facility.id }] });
    expect((await orderHistory(first.id)).map((entry) => entry.type)).toEqual(['CREATED', 'APPROVED', 'HELD', 'RELEASED']);
    expect(await stockAt(facility, product)).toMatchObject({ quantityOnHand: 2, quantityReserved: 2 });

    const notHeld = await f.api('POST', `/orders/${first.id}/release`);
    expect(notHeld.status).toBe(409);
  });

  it('a hold once an item has shipped is a 409', async () => {
    const { product, facility } = await stocked(5);
    const order = await routed((await createOrder(product, 1)).id);
    const shipped = await f.api<Fulfillment>('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id });
    expect(shipped.status).toBe(201);
    const hold = await f.api('POST', `/orders/${order.id}/hold`, { reason: 'OTHER' });
    expect(hold.status).toBe(409);
    expect((await f.api<Order>('GET', `/orders/${order.id}`)).body.status).toBe('COMPLETED');
  });

  it('a held order may be cancelled: no longer held, and a release is then a 409', async () => {
    const { product, facility } = await stocked(1);
    const order = await routed((await createOrder(product, 1)).id);
    expect((await f.api('POST', `/orders/${order.id}/hold`, { reason: 'AWAITING_PAYMENT' })).status).toBe(200);
    const cancelled = await f.api<HeldOrder>('POST', `/orders/${order.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', hold: null, items: [{ status: 'CANCELLED' }] });
    expect(await stockAt(facility, product)).toMatchObject({ quantityOnHand: 1, quantityReserved: 0 });
    expect((await f.api('POST', `/orders/${order.id}/release`)).status).toBe(409);
    expect((await f.api('POST', `/orders/${order.id}/hold`, { reason: 'OTHER' })).status).toBe(409);
  });

  it('bad hold reasons and bad rule bodies are 400s naming the field, never 500s', async () => {
    const { product } = await stocked(5);
    const order = await createOrder(product, 1);
    for (const body of [{ reason: 'BORED' }, {}, { reason: 'OTHER', note: '' }, { reason: 'OTHER', note: 'x'.repeat(501) }]) {
      const response = await f.api('POST', `/orders/${order.id}/hold`, body);
      expect(response.status).toBe(400);
    }
    const unknown = await f.api('POST', '/orders/00000000-0000-4000-8000-000000000000/hold', { reason: 'OTHER' });
    expect(unknown.status).toBe(404);

    const rule = { name: 'r', when: { countryIn: ['FR'] }, holdReason: 'OTHER' };
    const bad: [unknown, string][] = [
      [{}, 'rules'],
      [{ rules: [{ ...rule, holdReason: 'BORED' }] }, 'holdReason'],
      [{ rules: [{ ...rule, name: '' }] }, 'name'],
      [{ rules: [{ ...rule, when: { countryIn: [] } }] }, 'countryIn'],
      [{ rules: [{ ...rule, when: { countryIn: 'FR' } }] }, 'countryIn'],
      [{ rules: [{ ...rule, when: { emailDomainIn: Array.from({ length: 101 }, (_, n) => `d${n}.com`) } }] }, 'emailDomainIn'],
      [{ rules: [{ ...rule, when: { orderTotalAtLeast: '-1' } }] }, 'orderTotalAtLeast'],
      [{ rules: [{ ...rule, when: { orderTotalAtLeast: 100 } }] }, 'orderTotalAtLeast'],
      [{ rules: Array.from({ length: 101 }, () => rule) }, 'rules'],
    ];
    for (const [body, field] of bad) {
      const response = await internal('PUT', '/approval-rules', body);
      expect({ status: response.status, body: JSON.stringify(response.body) }).toEqual({ status: 400, body: expect.stringContaining(field) });
    }
    expect((await internal('GET', '/approval-rules')).body).toEqual({ rules: [] });
    await routed(order.id);
  });

  it('an address edit moves the unpicked items to the facility near the new address and frees the old stock', async () => {
    const { product, facility: near } = await stocked(2);
    const far = await f.createFacility({ latitude: FAR_AWAY.latitude, longitude: FAR_AWAY.longitude + 0.01 });
    await f.setStock(far.id, product.id, 2);
    const order = await routed((await createOrder(product, 1)).id);
    expect(order.items[0].facilityId).toBe(near.id);

    const edited = await f.api<HeldOrder>('PATCH', `/orders/${order.id}`, { shippingAddress: FAR_AWAY, tags: ['moved'] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'BROKERED', shippingAddress: FAR_AWAY, tags: ['moved'], items: [{ facilityId: far.id }] });
    expect(await stockAt(near, product)).toMatchObject({ quantityOnHand: 2, quantityReserved: 0 });
    expect(await stockAt(far, product)).toMatchObject({ quantityOnHand: 2, quantityReserved: 1 });
    expect(await orderHistory(order.id)).toContainEqual(expect.objectContaining({ type: 'EDITED', reason: 'shippingAddress, tags' }));
  });

  it('bad edits are 400s naming the field, unknown orders 404, and edits of cancelled orders 409, never 500s', async () => {
    const { product } = await stocked(5);
    const order = await routed((await createOrder(product, 1)).id);
    const bad: [unknown, string][] = [
      [{ priority: 10 }, 'priority'],
      [{ priority: null }, 'priority'],
      [{ promiseDate: '2026-13-01' }, 'promiseDate'],
      [{ shippingMethod: 'DRONE' }, 'shippingMethod'],
      [{ shippingMethod: 'PICKUP' }, 'pickupFacilityId'],
      [{ tags: 'gift' }, 'tags'],
      [{ tags: [''] }, 'tags'],
      [{ shippingAddress: { ...ADDRESS, longitude: undefined } }, 'shippingAddress.longitude'],
      [{ shippingAddress: { ...ADDRESS, country: 'usa' } }, 'country'],
      [{ items: [] }, 'items'],
    ];
    for (const [body, field] of bad) {
      const response = await f.api('PATCH', `/orders/${order.id}`, body);
      expect({ status: response.status, body: JSON.stringify(response.body) }).toEqual({ status: 400, body: expect.stringContaining(field) });
    }
    expect((await f.api('PATCH', '/orders/00000000-0000-4000-8000-000000000000', { priority: 1 })).status).toBe(404);
    expect((await f.api('PATCH', '/orders/not-a-uuid', { priority: 1 })).status).toBe(400);
    expect((await f.api('POST', `/orders/${order.id}/cancel`)).status).toBe(200);
    const refused = await f.api<{ message: string }>('PATCH', `/orders/${order.id}`, { priority: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('CANCELLED');
  });

  it('the invariants hold, with held orders among the others', async () => {
    await assertInvariants(f.databases.databaseUrl);
  });
});
