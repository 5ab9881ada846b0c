import { valueWithin } from '../support/http';
import { ADDRESS, apiClient, ApiFixture, expectErrorBody, expectValidationError, Order, startApi } from '../support/api-fixture';
import { settleAndAssertInvariants } from '../support/invariants';

interface TransferOrder {
  id: string;
  from: string;
  to: string;
  status: string;
  items: { productId: string; sku: string; quantity: number }[];
  createdAt: string;
  shippedAt: string | null;
  receivedAt: string | null;
  cancelledAt: string | null;
}

interface FacilityAvailability {
  facilityId: string;
  quantityOnHand: number;
  quantityReserved: number;
  availableToPromise: number;
  inTransit: number;
  onOrder: number;
}

interface Availability {
  availableToPromise: number;
  inTransit: number;
  onOrder: number;
  facilities: FacilityAvailability[];
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Transfer orders (docs/api.md, Inbound supply) on the built apps, with a worker that routes orders waiting for the units they bring. */
describe('transfer orders', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('transfers');
    await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const availability = async (productId: string) => (await f.api<Availability>('GET', `/products/${productId}/availability`)).body;
  const at = (found: Availability, facilityId: string) => found.facilities.find((facility) => facility.facilityId === facilityId);
  const createTransfer = (body: unknown, call = f.api) => call<TransferOrder>('POST', '/transfer-orders', body);
  /** A source with `onHand` units of a new product, and a destination far away (brokering prefers the source while it has stock). */
  const setUp = async (onHand: number) => {
    const source = await f.createFacility();
    const destination = await f.createFacility({ latitude: 34.05, longitude: -118.24 });
    const product = await f.createProduct();
    await f.setStock(source.id, product.id, onHand);
    return { source: source.id, destination: destination.id, productId: product.id };
  };
  const orderIn = (orderId: string, status: string) =>
    valueWithin(async () => {
      const order = (await f.api<Order>('GET', `/orders/${orderId}`)).body;
      return order.status === status ? order : undefined;
    }, `order ${orderId} to be ${status}`);

  it('reserves at the source, ships (in transit on availability), receives at the destination and routes an order that waited for the units', async () => {
    const { source, destination, productId } = await setUp(10);

    const created = await createTransfer({ from: source, to: destination, items: [{ productId, quantity: 10 }] });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ from: source, to: destination, status: 'CREATED', shippedAt: null, receivedAt: null, cancelledAt: null });
    expect(created.body.items).toEqual([{ productId, sku: expect.any(String), quantity: 10 }]);
    expect(at(await availability(productId), source)).toMatchObject({ quantityOnHand: 10, quantityReserved: 10, availableToPromise: 0 });
    // Nothing is left for an order: it waits.
    const order = await f.api<Order>('POST', '/orders', {
      customer: { email: 't@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId, quantity: 3 }],
    });
    expect(order.status).toBe(201);
    await orderIn(order.body.id, 'BACKORDERED');

    const shipped = await f.api<TransferOrder>('POST', `/transfer-orders/${created.body.id}/ship`);

    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'SHIPPED', shippedAt: expect.any(String) });
    const inTransit = await availability(productId);
    expect(inTransit.inTransit).toBe(10);
    expect(at(inTransit, source)).toMatchObject({ quantityOnHand: 0, quantityReserved: 0, inTransit: 0 });
    expect(at(inTransit, destination)).toEqual({
      facilityId: destination,
      quantityOnHand: 0,
      quantityReserved: 0,
      availableToPromise: 0,
      minimumStock: 0,
      brokerable: 0,
      inTransit: 10,
      onOrder: 0,
    });

    const received = await f.api<TransferOrder>('POST', `/transfer-orders/${created.body.id}/receive`);

    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'RECEIVED', receivedAt: expect.any(String) });
    const arrived = await availability(productId);
    expect(arrived.inTransit).toBe(0);
    expect(at(arrived, destination)).toMatchObject({ quantityOnHand: 10, inTransit: 0 });
    const routed = await orderIn(order.body.id, 'BROKERED');
    expect(routed.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: destination });
    expect((await f.api<TransferOrder>('GET', `/transfer-orders/${created.body.id}`)).body).toEqual(received.body);
    const listed = (await f.api<{ items: TransferOrder[] }>('GET', `/transfer-orders?facilityId=${destination}&status=RECEIVED`)).body.items;
    expect(listed).toEqual([received.body]);
    expect((await f.api<{ items: TransferOrder[] }>('GET', `/transfer-orders?facilityId=${destination}&status=CREATED`)).body.items).toEqual([]);
    await settleAndAssertInvariants(f.databases.databaseUrl);
  });

  it('cancels before shipment (the reservation is released), answers a second cancel as it is, and refuses what its status forbids with 409', async () => {
    const { source, destination, productId } = await setUp(5);
    const created = (await createTransfer({ from: source, to: destination, items: [{ productId, quantity: 4 }] })).body;

    expect(expectErrorBody(await f.api('POST', `/transfer-orders/${created.id}/receive`), 409).message).toContain('CREATED');
    const cancelled = await f.api<TransferOrder>('POST', `/transfer-orders/${created.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.any(String) });
    expect(at(await availability(productId), source)).toMatchObject({ quantityReserved: 0, availableToPromise: 5 });
    expect((await f.api<TransferOrder>('POST', `/transfer-orders/${created.id}/cancel`)).body).toEqual(cancelled.body);
    expectErrorBody(await f.api('POST', `/transfer-orders/${created.id}/ship`), 409);

    const shipped = (await createTransfer({ from: source, to: destination, items: [{ productId, quantity: 5 }] })).body;
    expect((await f.api('POST', `/transfer-orders/${shipped.id}/ship`)).status).toBe(200);
    expect(expectErrorBody(await f.api('POST', `/transfer-orders/${shipped.id}/ship`), 409).message).toContain('SHIPPED');
    expectErrorBody(await f.api('POST', `/transfer-orders/${shipped.id}/cancel`), 409);
    const tooMuch = expectErrorBody(await createTransfer({ from: source, to: destination, items: [{ productId, quantity: 1 }] }), 409);
    expect(tooMuch.message).toContain(productId);
    expect(tooMuch.message).toContain('0 units available');
  });

  it('answers bad input with 400 and unknown things with 404, never 500', async () => {
    const { source, destination, productId } = await setUp(5);
    const line = { productId, quantity: 1 };
    const body = { from: source, to: destination, items: [line] };

    expectValidationError(await createTransfer({ ...body, from: 'not-a-uuid' }), 'from');
    expectValidationError(await createTransfer({ ...body, to: source }), 'to');
    expectValidationError(await createTransfer({ ...body, items: [] }), 'items');
    expectValidationError(await createTransfer({ ...body, items: [line, line] }), 'items[1].productId');
    expectValidationError(await createTransfer({ ...body, items: [{ ...line, quantity: 0 }] }), 'items[0].quantity');
    expectValidationError(await createTransfer({ ...body, items: [{ ...line, quantity: 1_000_000_001 }] }), 'items[0].quantity');
    expectValidationError(await createTransfer({ ...body, items: [{ ...line, quantity: 1.5 }] }), 'items[0].quantity');
    expectValidationError(await createTransfer({ ...body, items: [1] }));
    expectValidationError(await f.api('POST', '/transfer-orders/not-a-uuid/ship'));
    expectValidationError(await f.api('GET', '/transfer-orders/not-a-uuid'));
    expectValidationError(await f.api('GET', '/transfer-orders?status=LOST'), 'status');
    expectErrorBody(await createTransfer({ ...body, to: UNKNOWN }), 404);
    expectErrorBody(await createTransfer({ ...body, items: [{ productId: UNKNOWN, quantity: 1 }] }), 404);
    for (const action of ['ship', 'receive', 'cancel']) expectErrorBody(await f.api('POST', `/transfer-orders/${UNKNOWN}/${action}`), 404);
    expectErrorBody(await f.api('GET', `/transfer-orders/${UNKNOWN}`), 404);
    expect(at(await availability(productId), source)).toMatchObject({ quantityReserved: 0 });
  });

  it('needs inventory:write to write, and a key restricted to facilities reaches only transfers from or to them', async () => {
    const { source, destination, productId } = await setUp(5);
    const elsewhere = await f.createFacility();
    const body = { from: source, to: destination, items: [{ productId, quantity: 1 }] };
    const readOnly = apiClient(f.url, (await f.createApiKey(undefined, { permissions: ['orders:read'] })).key);
    const sourceOnly = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [source] })).key);
    const otherFacility = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [elsewhere.id] })).key);

    expectErrorBody(await createTransfer(body, readOnly), 403);
    expectErrorBody(await createTransfer(body, sourceOnly), 404);
    expectErrorBody(await createTransfer({ ...body, from: elsewhere.id, to: source }, sourceOnly), 404);
    const created = await createTransfer(body);
    expect(created.status).toBe(201);
    expect((await readOnly<TransferOrder>('GET', `/transfer-orders/${created.body.id}`)).status).toBe(200);
    expectErrorBody(await readOnly('POST', `/transfer-orders/${created.body.id}/ship`), 403);
    expectErrorBody(await otherFacility('GET', `/transfer-orders/${created.body.id}`), 404);
    expectErrorBody(await otherFacility('POST', `/transfer-orders/${created.body.id}/cancel`), 404);
    expect((await otherFacility<{ items: TransferOrder[] }>('GET', '/transfer-orders')).body.items).toEqual([]);
    expect((await sourceOnly<{ items: TransferOrder[] }>('GET', '/transfer-orders')).body.items.map((transfer) => transfer.id)).toContain(
      created.body.id,
    );
    expect((await sourceOnly<TransferOrder>('POST', `/transfer-orders/${created.body.id}/ship`)).status).toBe(200);
    expectErrorBody(await sourceOnly('POST', `/transfer-orders/${created.body.id}/receive`), 404);
    expect((await f.api<TransferOrder>('GET', `/transfer-orders/${created.body.id}`)).body.status).toBe('SHIPPED');
  });
});
