import { valueWithin } from '../support/http';
import {
  ADDRESS,
  ADMIN_HEADERS,
  apiClient,
  ApiFixture,
  expectErrorBody,
  expectValidationError,
  httpRequest,
  Order,
  startApi,
  uniqueSuffix,
} from '../support/api-fixture';
import { settleAndAssertInvariants } from '../support/invariants';
import { WebhookReceiver } from '../support/webhook-receiver';

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

interface PurchaseOrder {
  id: string;
  externalId: string | null;
  facilityId: string;
  expectedDate: string;
  status: string;
  items: {
    lineNumber: number;
    productId: string;
    sku: string;
    quantity: number;
    receivedQuantity: number;
    openQuantity: number;
    promisedQuantity: number;
  }[];
  receipts: { id: string; externalId: string | null; actor: string; items: { productId: string; quantity: number }[] }[];
}

interface HistoryEntry {
  type: string;
  itemId?: string;
  purchaseOrderId?: string;
  note?: string;
}

/**
 * Inbound supply (docs/api.md): transfer orders and purchase orders with receipts and pre-order
 * promises, on the built apps, with a worker that routes orders waiting for the units they bring.
 */
describe('inbound supply', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('supply');
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

  describe('transfer orders', () => {
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

  describe('purchase orders', () => {
    const createPurchaseOrder = (body: unknown, call = f.api) => call<PurchaseOrder>('POST', '/purchase-orders', body);
    const orderOf = async (orderId: string) => (await f.api<Order & { items: { promiseDate: string | null }[] }>('GET', `/orders/${orderId}`)).body;
    /** A facility with no stock of a new product, and `count` orders of one unit each, oldest first, backordered by the worker. */
    const backordered = async (count: number) => {
      const facility = await f.createFacility();
      const product = await f.createProduct();
      const orderIds: string[] = [];
      for (let n = 0; n < count; n += 1) {
        const order = await f.api<Order>('POST', '/orders', {
          customer: { email: 'p@example.com' },
          shippingAddress: ADDRESS,
          items: [{ productId: product.id, quantity: 1 }],
        });
        expect(order.status).toBe(201);
        orderIds.push(order.body.id);
        await orderIn(order.body.id, 'BACKORDERED');
      }
      return { facilityId: facility.id, product, orderIds };
    };
    const promiseDates = async (orderIds: string[]) => Promise.all(orderIds.map(async (id) => (await orderOf(id)).items[0].promiseDate));

    it('promises pre-orders first come, first served, moves them to an earlier purchase order, and allocates them oldest first on receipt', async () => {
      const receiver = await WebhookReceiver.start();
      const subscribed = await httpRequest(
        `${f.internalUrl}/internal/webhooks`,
        'POST',
        { url: receiver.url('/promises'), events: ['order.promise_changed'], secret: 'a-secret-of-sixteen-chars' },
        ADMIN_HEADERS,
      );
      expect(subscribed.status).toBe(201);
      const { facilityId, product, orderIds } = await backordered(3);
      const late = await createPurchaseOrder({
        externalId: `PO-${uniqueSuffix()}`,
        facilityId,
        expectedDate: '2027-03-01',
        items: [{ sku: product.sku, quantity: 2 }],
      });
      expect(late.status).toBe(201);
      expect(late.body).toMatchObject({ facilityId, status: 'OPEN', expectedDate: '2027-03-01', receipts: [] });
      expect(late.body.items).toEqual([
        { lineNumber: 1, productId: product.id, sku: product.sku, quantity: 2, receivedQuantity: 0, openQuantity: 2, promisedQuantity: 2 },
      ]);
      expect(await promiseDates(orderIds)).toEqual(['2027-03-01', '2027-03-01', null]);
      expect((await availability(product.id)).onOrder).toBe(2);

      const early = (await createPurchaseOrder({ facilityId, expectedDate: '2027-02-01', items: [{ productId: product.id, quantity: 5 }] })).body;

      expect(await promiseDates(orderIds)).toEqual(['2027-02-01', '2027-02-01', '2027-02-01']);
      const told = await valueWithin(
        async () => receiver.on('/promises').find((webhook) => webhook.event.data.orderId === orderIds[2]),
        'the promise of the third pre-order to be sent to the partner',
      );
      expect(told.event).toMatchObject({
        type: 'order.promise_changed',
        data: { items: [expect.objectContaining({ promiseDate: '2027-02-01', previousPromiseDate: null })] },
      });
      await receiver.close();
      const history = (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${orderIds[0]}/history`)).body.items.filter(
        (entry) => entry.type === 'PROMISED',
      );
      expect(history.map((entry) => [entry.purchaseOrderId, entry.note])).toEqual([
        [late.body.id, 'promised for 2027-03-01'],
        [early.id, 'promised for 2027-02-01'],
      ]);

      const received = await f.api<PurchaseOrder>('POST', `/purchase-orders/${early.id}/receipts`, {
        items: [{ productId: product.id, quantity: 2 }],
      });

      expect(received.status).toBe(201);
      expect(received.body.items[0]).toMatchObject({ receivedQuantity: 2, openQuantity: 3, promisedQuantity: 1 });
      expect(received.body.receipts).toEqual([expect.objectContaining({ actor: f.key.id, items: [{ productId: product.id, quantity: 2 }] })]);
      // Routed before the answer: the two oldest have the units, the third still waits on its promise.
      expect(await Promise.all(orderIds.map(async (id) => (await orderOf(id)).status))).toEqual(['BROKERED', 'BROKERED', 'BACKORDERED']);
      expect(await promiseDates(orderIds)).toEqual([null, null, '2027-02-01']);
      const ledger = (
        await f.api<{ items: { onHandDelta: number; purchaseOrderId: string | null }[] }>('GET', `/inventory/${facilityId}/${product.id}/ledger`)
      ).body.items;
      expect(ledger.filter((entry) => entry.onHandDelta !== 0)).toEqual([expect.objectContaining({ onHandDelta: 2, purchaseOrderId: early.id })]);

      const moved = await f.api<PurchaseOrder>('PATCH', `/purchase-orders/${early.id}`, { expectedDate: '2027-04-01' });
      expect(moved.status).toBe(200);
      expect(await promiseDates(orderIds)).toEqual([null, null, '2027-03-01']);
      await settleAndAssertInvariants(f.databases.databaseUrl);
    });

    it('gives the units of a cancelled pre-order to the next one waiting (the worker recomputes from the cancellation)', async () => {
      const { facilityId, product, orderIds } = await backordered(3);
      expect((await createPurchaseOrder({ facilityId, expectedDate: '2027-05-01', items: [{ productId: product.id, quantity: 2 }] })).status).toBe(
        201,
      );
      expect(await promiseDates(orderIds)).toEqual(['2027-05-01', '2027-05-01', null]);

      expect((await f.api<Order>('POST', `/orders/${orderIds[0]}/cancel`, {})).body.status).toBe('CANCELLED');

      await valueWithin(async () => ((await promiseDates(orderIds))[2] === '2027-05-01' ? true : undefined), 'the third pre-order to be promised');
      expect(await promiseDates(orderIds)).toEqual([null, '2027-05-01', '2027-05-01']);
    });

    it('refuses over-receipt, receipts on closed purchase orders and bad dates with 409 or 400, never 500', async () => {
      const facility = await f.createFacility();
      const product = await f.createProduct();
      const line = { productId: product.id, quantity: 5 };
      const body = { facilityId: facility.id, expectedDate: '2027-02-01', items: [line] };
      for (const expectedDate of ['2027-02-30', '2027-13-01', '27-02-01', 'tomorrow', '', 20270201, null]) {
        expectValidationError(await createPurchaseOrder({ ...body, expectedDate }), 'expectedDate');
      }
      expectValidationError(await createPurchaseOrder({ ...body, facilityId: 'nowhere' }), 'facilityId');
      expectValidationError(await createPurchaseOrder({ ...body, items: [] }), 'items');
      expectValidationError(await createPurchaseOrder({ ...body, items: [{ ...line, quantity: 0 }] }), 'items[0].quantity');
      expectValidationError(await createPurchaseOrder({ ...body, items: [{ ...line, sku: product.sku }] }), 'items[0]');
      expectValidationError(await createPurchaseOrder({ ...body, items: [line, line] }), 'items[1]');
      expectValidationError(await createPurchaseOrder({ ...body, items: [line, { sku: product.sku, quantity: 1 }] }), 'items');
      expectValidationError(await createPurchaseOrder({ ...body, items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }), 'items[0].sku');
      expectErrorBody(await createPurchaseOrder({ ...body, facilityId: UNKNOWN }), 404);

      const po = (await createPurchaseOrder(body)).body;
      const receive = (items: unknown) => f.api('POST', `/purchase-orders/${po.id}/receipts`, { items });
      expect(expectErrorBody(await receive([{ productId: product.id, quantity: 6 }]), 409).message).toContain('only 5 of 5 are still open');
      expectValidationError(await receive([{ productId: UNKNOWN, quantity: 1 }]), 'items[0].productId');
      expectValidationError(await receive([{ productId: product.id, quantity: 0 }]), 'items[0].quantity');
      expectValidationError(await receive([]), 'items');
      expectValidationError(await f.api('PATCH', `/purchase-orders/${po.id}`, { expectedDate: '2027-02-29' }), 'expectedDate');
      expect((await receive([{ productId: product.id, quantity: 3 }])).status).toBe(201);
      // A delivery sent again with its reference (a retry after a timeout) is not received twice.
      const delivery = { externalId: `ASN-${uniqueSuffix()}`, items: [{ productId: product.id, quantity: 1 }] };
      const first = await f.api<PurchaseOrder>('POST', `/purchase-orders/${po.id}/receipts`, delivery);
      const again = await f.api<PurchaseOrder>('POST', `/purchase-orders/${po.id}/receipts`, delivery);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect(again.body.items[0]).toMatchObject({ receivedQuantity: 4, openQuantity: 1 });
      expect((await f.api<PurchaseOrder>('POST', `/purchase-orders/${po.id}/close`)).body).toMatchObject({ status: 'CLOSED' });
      expect(expectErrorBody(await receive([{ productId: product.id, quantity: 1 }]), 409).message).toContain('CLOSED');
      expectErrorBody(await f.api('PATCH', `/purchase-orders/${po.id}`, { expectedDate: '2027-03-01' }), 409);
      const full = (await createPurchaseOrder(body)).body;
      expect((await f.api<PurchaseOrder>('POST', `/purchase-orders/${full.id}/receipts`, { items: [line] })).body.status).toBe('RECEIVED');
      expectErrorBody(await f.api('POST', `/purchase-orders/${full.id}/receipts`, { items: [{ productId: product.id, quantity: 1 }] }), 409);
      const bodies: [string, string, unknown][] = [
        ['GET', '', undefined],
        ['PATCH', '', { expectedDate: '2027-01-01' }],
        ['POST', '/receipts', { items: [{ productId: product.id, quantity: 1 }] }],
        ['POST', '/close', undefined],
      ];
      for (const [method, path, payload] of bodies) {
        expectErrorBody(await f.api(method, `/purchase-orders/${UNKNOWN}${path}`, payload), 404);
        expectValidationError(await f.api(method, `/purchase-orders/not-a-uuid${path}`, payload));
      }
      expectValidationError(await f.api('GET', '/purchase-orders?status=LOST'), 'status');
      expect(at(await availability(product.id), facility.id)).toMatchObject({ quantityOnHand: 9, onOrder: 0 });
    });

    it('needs inventory:write to write, hides other facilities from a restricted key, and feeds open quantities to a pre-order channel', async () => {
      const facility = await f.createFacility();
      const elsewhere = await f.createFacility();
      const product = await f.createProduct();
      const body = { facilityId: facility.id, expectedDate: '2027-02-01', items: [{ productId: product.id, quantity: 7 }] };
      const readOnly = apiClient(f.url, (await f.createApiKey(undefined, { permissions: ['orders:read'] })).key);
      const otherFacility = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [elsewhere.id] })).key);
      expectErrorBody(await createPurchaseOrder(body, readOnly), 403);
      expectErrorBody(await createPurchaseOrder(body, otherFacility), 404);
      const po = (await createPurchaseOrder(body)).body;
      expect((await readOnly<PurchaseOrder>('GET', `/purchase-orders/${po.id}`)).status).toBe(200);
      expectErrorBody(await otherFacility('GET', `/purchase-orders/${po.id}`), 404);
      expectErrorBody(await otherFacility('POST', `/purchase-orders/${po.id}/receipts`, { items: [{ productId: product.id, quantity: 1 }] }), 404);
      expect((await otherFacility<{ items: PurchaseOrder[] }>('GET', '/purchase-orders')).body.items).toEqual([]);
      const listed = (await f.api<{ items: PurchaseOrder[] }>('GET', `/purchase-orders?productId=${product.id}&status=OPEN`)).body.items;
      expect(listed.map((order) => order.id)).toEqual([po.id]);

      const channel = `PRE-${uniqueSuffix()}`;
      const internal = (method: string, path: string, payload?: unknown) =>
        httpRequest(`${f.internalUrl}/internal/channels${path}`, method, payload, ADMIN_HEADERS);
      expect((await internal('POST', '', { code: channel, name: 'Pre-orders', type: 'API', preorderFromPurchaseOrders: true })).status).toBe(201);
      const channelAvailability = async () =>
        (await f.api<{ available: number }>('GET', `/channels/${channel}/availability?productId=${product.id}`)).body.available;
      expect(await channelAvailability()).toBe(7);
      const off = await internal('PATCH', `/${channel}`, { preorderFromPurchaseOrders: false });
      expect(off.body).toMatchObject({ preorderFromPurchaseOrders: false });
      expect(await channelAvailability()).toBe(0);
    });
  });
});
