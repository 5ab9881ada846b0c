import type { CacheInvalidator } from '@app/cache';
import { ConflictError, InvalidInputError, UnprocessableError } from '@app/platform';
import { requestFingerprint } from '../common/canonical-json';
import type { PrimaryDatabase } from '../database/primary-database';
import { ItemReservations } from '../inventory/item-reservations';
import { InventoryJournal } from '../inventory/inventory-journal';
import type { InventoryRepository } from '../inventory/inventory.repository';
import type { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import type { OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import type { ReadRouter } from '../read-routing/read-router';
import type { OrderItemRow, OrderRow } from './order.view';
import type { NewOrder, OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import type { ApprovalRulesService } from '../approval/approval-rules.service';

const ORDER_ID = '00000000-0000-4000-8000-000000000001';
const FACILITY = '00000000-0000-4000-8000-0000000000f1';
const tx = {} as Queryable;

function item(status: OrderItemRow['status'], quantity = 2): OrderItemRow {
  return {
    id: `item-${status}`,
    orderId: ORDER_ID,
    productId: `product-${status}`,
    sku: 'SKU',
    quantity,
    unitPrice: '1.00',
    status,
    facilityId: status === 'CREATED' ? null : FACILITY,
    promiseDate: null,
    promisedPurchaseOrderId: null,
    queue: status === 'CREATED' ? 'BROKERING' : status === 'BACKORDERED' ? 'BACKORDER' : null,
    autoCancelAt: null,
  };
}

/** The service's rules with in-memory stand-ins for its repositories (no database). */
function serviceWith(orders: Partial<OrdersRepository>, statuses: Partial<StatusChangesRepository> = {}) {
  const stockAfter = (_tx: Queryable, key: { facilityId: string; productId: string }) =>
    Promise.resolve({ ...key, quantityOnHand: 10, quantityReserved: 0, availableToPromise: 10 });
  const inventory = { releaseReservation: jest.fn(stockAfter), appendLedger: jest.fn(), shipReserved: jest.fn(stockAfter) };
  const outbox = { enqueue: jest.fn() };
  const journal = new InventoryJournal(inventory as unknown as InventoryRepository, outbox as unknown as OutboxRepository);
  const db = { transaction: (work: (q: Queryable) => Promise<unknown>) => work(tx) } as unknown as PrimaryDatabase;
  const row = { id: ORDER_ID, status: 'CANCELLED', shippingAddress: {} } as OrderRow;
  const repository = {
    findById: jest.fn().mockResolvedValue(row),
    itemsOf: jest.fn().mockResolvedValue([]),
    ...orders,
  } as unknown as OrdersRepository;
  const service = new OrdersService(
    db,
    {} as ReadRouter,
    repository,
    outbox as unknown as OutboxRepository,
    { invalidate: jest.fn() } as unknown as CacheInvalidator,
    { moveOrders: jest.fn(), moveItems: jest.fn(), ...statuses } as unknown as StatusChangesRepository,
    { current: () => Promise.resolve([]) } as unknown as ApprovalRulesService,
    new ItemReservations(inventory as unknown as InventoryRepository, journal),
  );
  return { service, inventory, outbox, repository, db };
}

describe('OrdersService rules', () => {
  describe('cancel', () => {
    it('cancels the order and every item, releases the reservation of allocated items only, with a ledger row each, and announces it', async () => {
      const [moveOrders, moveItems] = [jest.fn(), jest.fn()];
      const { service, inventory, outbox } = serviceWith(
        {
          lockStatus: jest.fn().mockResolvedValue({ status: 'BROKERED', salesChannel: 'web' }),
          lockItems: jest.fn().mockResolvedValue([item('ALLOCATED', 3), item('BACKORDERED'), item('CREATED')]),
        },
        { moveOrders, moveItems },
      );
      await service.cancel(ORDER_ID, 'key-1', 'customer request');
      expect(inventory.releaseReservation).toHaveBeenCalledTimes(1);
      expect(inventory.releaseReservation).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ facilityId: FACILITY, productId: 'product-ALLOCATED' }),
        3,
      );
      expect(inventory.appendLedger).toHaveBeenCalledWith(tx, [
        {
          facilityId: FACILITY,
          productId: 'product-ALLOCATED',
          onHandDelta: 0,
          reservedDelta: -3,
          reason: 'customer request',
          actor: 'key-1',
          orderId: ORDER_ID,
        },
      ]);
      expect(outbox.enqueue).toHaveBeenCalledWith(
        tx,
        'inventory.changed',
        'product-ALLOCATED',
        expect.objectContaining({ facilityId: FACILITY, productId: 'product-ALLOCATED', quantityReserved: 0, reservedDelta: -3, orderId: ORDER_ID }),
      );
      expect(moveItems).toHaveBeenCalledWith(tx, [
        { itemId: 'item-ALLOCATED', status: 'CANCELLED' },
        { itemId: 'item-BACKORDERED', status: 'CANCELLED' },
        { itemId: 'item-CREATED', status: 'CANCELLED' },
      ]);
      expect(moveOrders).toHaveBeenCalledWith(tx, [{ orderId: ORDER_ID, status: 'CANCELLED' }]);
      expect(outbox.enqueue).toHaveBeenCalledWith(tx, 'order.cancelled', ORDER_ID, { orderId: ORDER_ID });
    });

    it('releases stock in the global lock order (facility, then product), not in line order', async () => {
      const line = (productId: string, facilityId: string): OrderItemRow => ({
        ...item('ALLOCATED'),
        id: `item-${productId}`,
        productId,
        facilityId,
      });
      const { service, inventory } = serviceWith({
        lockStatus: jest.fn().mockResolvedValue({ status: 'BROKERED', salesChannel: 'web' }),
        lockItems: jest.fn().mockResolvedValue([line('p-b', 'f-1'), line('p-a', 'f-2'), line('p-a', 'f-1')]),
      });
      await service.cancel(ORDER_ID, 'key-1');
      const released = inventory.releaseReservation.mock.calls.map(([, key]) => `${key.facilityId}/${key.productId}`);
      expect(released).toEqual(['f-1/p-a', 'f-1/p-b', 'f-2/p-a']);
    });

    it.each(['PACKED', 'SHIPPED'] as const)(
      'refuses (409 naming the status) before writing, releasing or announcing anything once an item is %s',
      async (status) => {
        const moveItems = jest.fn();
        const { service, inventory, outbox } = serviceWith(
          {
            lockStatus: jest.fn().mockResolvedValue({ status: 'BROKERED', salesChannel: 'web' }),
            lockItems: jest.fn().mockResolvedValue([item(status), item('ALLOCATED')]),
          },
          { moveItems },
        );
        const refusal = service.cancel(ORDER_ID, 'key-1');
        await expect(refusal).rejects.toBeInstanceOf(ConflictError);
        await expect(refusal).rejects.toThrow(`order ${ORDER_ID} has an item ${status} and cannot be cancelled`);
        expect(moveItems).not.toHaveBeenCalled();
        expect(inventory.releaseReservation).not.toHaveBeenCalled();
        expect(outbox.enqueue).not.toHaveBeenCalled();
      },
    );

    it('leaves items cancelled before as they are, and releases what picking items reserve', async () => {
      const moveItems = jest.fn();
      const { service, inventory } = serviceWith(
        {
          lockStatus: jest.fn().mockResolvedValue({ status: 'BROKERED', salesChannel: 'web' }),
          lockItems: jest.fn().mockResolvedValue([item('CANCELLED'), item('PICKING')]),
        },
        { moveItems },
      );
      await service.cancel(ORDER_ID, 'key-1');
      expect(moveItems).toHaveBeenCalledWith(tx, [{ itemId: 'item-PICKING', status: 'CANCELLED' }]);
      expect(inventory.releaseReservation).toHaveBeenCalledTimes(1);
    });

    it('does nothing more for an order already cancelled', async () => {
      const lockItems = jest.fn();
      const { service, outbox } = serviceWith({ lockStatus: jest.fn().mockResolvedValue({ status: 'CANCELLED', salesChannel: 'web' }), lockItems });
      await service.cancel(ORDER_ID, 'key-1');
      expect(lockItems).not.toHaveBeenCalled();
      expect(outbox.enqueue).not.toHaveBeenCalled();
    });
  });

  describe('create', () => {
    const input = {
      customer: { email: 'ada@example.com' },
      shippingAddress: { line1: '1 Main', city: 'NYC', postalCode: '10001', country: 'US', latitude: 40.7, longitude: -74 },
      items: [{ sku: 'SKU', quantity: 1 }],
    };

    const taken = () => jest.fn().mockResolvedValue({ outcome: 'taken' });

    it('answers a replayed Idempotency-Key with a different body with 422, remembering nothing', async () => {
      const rememberIdempotencyKey = jest.fn();
      const { service } = serviceWith({
        insertOrder: taken(),
        findReplay: jest.fn().mockResolvedValue({ record: { orderId: ORDER_ID, requestHash: 'hash-of-another-body' } }),
        rememberIdempotencyKey,
      });
      await expect(service.create(input, { apiKeyId: 'key-1', salesChannel: 'web', idempotencyKey: 'k' })).rejects.toBeInstanceOf(UnprocessableError);
      expect(rememberIdempotencyKey).not.toHaveBeenCalled();
    });

    it('gives back the first order for a known externalId and remembers the new Idempotency-Key for it', async () => {
      const rememberIdempotencyKey = jest.fn().mockResolvedValue(true);
      const findReplay = jest.fn().mockResolvedValue({ externalOrderId: ORDER_ID });
      const { service, db } = serviceWith({ insertOrder: taken(), findReplay, rememberIdempotencyKey });
      const { order, created } = await service.create(
        { ...input, externalId: 'SHOP-1' },
        { apiKeyId: 'key-1', salesChannel: 'web', idempotencyKey: 'k2' },
      );
      expect(created).toBe(false);
      expect(order.id).toBe(ORDER_ID);
      expect(findReplay).toHaveBeenCalledWith(
        db,
        expect.objectContaining({ apiKeyId: 'key-1', idempotencyKey: 'k2', salesChannel: 'web', externalId: 'SHOP-1' }),
      );
      expect(rememberIdempotencyKey).toHaveBeenCalledWith(
        db,
        'key-1',
        { key: 'k2', requestHash: requestFingerprint({ ...input, externalId: 'SHOP-1' }) },
        ORDER_ID,
      );
    });

    it('when another request claims the key while the externalId is replayed, answers as the record of that key says', async () => {
      const body = { ...input, externalId: 'SHOP-1' };
      const findReplay = jest
        .fn()
        .mockResolvedValueOnce({ externalOrderId: ORDER_ID })
        .mockResolvedValueOnce({ record: { orderId: ORDER_ID, requestHash: requestFingerprint(body) }, externalOrderId: ORDER_ID });
      const rememberIdempotencyKey = jest.fn().mockResolvedValue(false);
      const { service } = serviceWith({ insertOrder: taken(), findReplay, rememberIdempotencyKey });
      const { created } = await service.create(body, { apiKeyId: 'key-1', salesChannel: 'web', idempotencyKey: 'k2' });
      expect(created).toBe(false);
      expect(findReplay).toHaveBeenCalledTimes(2);
      expect(rememberIdempotencyKey).toHaveBeenCalledTimes(1);
    });

    it("turns the insert statement's pricing verdict into a 400 naming the lines", async () => {
      const { service } = serviceWith({
        insertOrder: jest.fn().mockResolvedValue({ outcome: 'refused', verdict: { unknownLines: [1], currencies: [], pickupFacility: null } }),
      });
      const refused = service.create(input, { apiKeyId: 'key-1', salesChannel: 'web' });
      await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
      await expect(refused).rejects.toMatchObject({ details: [{ field: 'items[0].sku', message: 'unknown product' }] });
    });

    it("turns the insert statement's pickup verdict into a 400 naming pickupFacilityId", async () => {
      const pickup = { ...input, shippingMethod: 'PICKUP' as const, pickupFacilityId: FACILITY };
      for (const [verdict, message] of [
        ['unknown', `facility ${FACILITY} does not exist`],
        ['no-pickup', `facility ${FACILITY} does not offer pickup`],
      ]) {
        const { service } = serviceWith({
          insertOrder: jest
            .fn()
            .mockResolvedValue({ outcome: 'refused', verdict: { unknownLines: [], currencies: ['USD'], pickupFacility: verdict } }),
        });
        await expect(service.create(pickup, { apiKeyId: 'key-1', salesChannel: 'web' })).rejects.toMatchObject({
          details: [{ field: 'pickupFacilityId', message }],
        });
      }
    });

    it('stores the defaults of the fields left out and the tags without duplicates, and fingerprints the body as sent', async () => {
      const insertOrder = jest.fn().mockResolvedValue({ outcome: 'refused', verdict: { unknownLines: [1], currencies: [], pickupFacility: null } });
      const { service } = serviceWith({ insertOrder });
      await expect(service.create(input, { apiKeyId: 'key-1', salesChannel: 'web', idempotencyKey: 'k' })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        service.create({ ...input, tags: ['b', 'a', 'b'], priority: 0 }, { apiKeyId: 'key-1', salesChannel: 'web' }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(insertOrder.mock.calls.map(([, order]: [unknown, NewOrder]) => order)).toEqual([
        expect.objectContaining({ shippingMethod: 'STANDARD', pickupFacilityId: null, priority: 5, promiseDate: null, tags: [] }),
        expect.objectContaining({ priority: 0, tags: ['b', 'a'] }),
      ]);
      expect(insertOrder.mock.calls[0][3]).toEqual({ key: 'k', requestHash: requestFingerprint(input) });
    });

    it.each<[string, Record<string, unknown>, { field: string; message: string }]>([
      [
        'PICKUP without a pickup facility',
        { shippingMethod: 'PICKUP' },
        { field: 'pickupFacilityId', message: 'pickupFacilityId is required when shippingMethod is PICKUP' },
      ],
      [
        'a pickup facility without PICKUP',
        { shippingMethod: 'EXPRESS', pickupFacilityId: FACILITY },
        { field: 'pickupFacilityId', message: 'pickupFacilityId is allowed only when shippingMethod is PICKUP' },
      ],
      [
        'a latitude without a longitude',
        { shippingAddress: { ...input.shippingAddress, longitude: undefined } },
        { field: 'shippingAddress.longitude', message: 'shippingAddress.longitude is required with shippingAddress.latitude' },
      ],
      [
        'a longitude without a latitude',
        { shippingAddress: { ...input.shippingAddress, latitude: undefined } },
        { field: 'shippingAddress.latitude', message: 'shippingAddress.latitude is required with shippingAddress.longitude' },
      ],
    ])('refuses %s before the database is asked', async (_, fields, problem) => {
      const insertOrder = jest.fn();
      const { service } = serviceWith({ insertOrder });
      await expect(service.create({ ...input, ...fields }, { apiKeyId: 'key-1', salesChannel: 'web' })).rejects.toMatchObject({
        details: [problem],
      });
      expect(insertOrder).not.toHaveBeenCalled();
    });

    it('refuses a line naming its product both ways before the database is asked', async () => {
      const insertOrder = jest.fn();
      const { service } = serviceWith({ insertOrder });
      await expect(
        service.create({ ...input, items: [{ sku: 'SKU', productId: ORDER_ID, quantity: 1 }] }, { apiKeyId: 'key-1', salesChannel: 'web' }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(insertOrder).not.toHaveBeenCalled();
    });
  });
});
