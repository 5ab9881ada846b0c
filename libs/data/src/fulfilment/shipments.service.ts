import { CacheInvalidator } from '@app/cache';
import { ConflictError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesChannel, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { ItemReservations } from '../inventory/item-reservations';
import { completesOrder } from '../lifecycle/completes-order';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { holdsReservation } from '../lifecycle/statuses';
import { canTransition } from '../lifecycle/transition-table';
import type { OrderItemRow, OrderView } from '../orders/order.view';
import { OrdersRepository } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { assertVisibleFacility, lockVisibleOrder } from '../orders/visible-order';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { ShipmentPackage, ShipmentReference, ShipmentsRepository, ShipmentView, Tracking } from './shipments.repository';

export interface NewShipment {
  orderId: string;
  facilityId: string;
  itemIds: string[];
  packages?: ShipmentPackage[];
}

/** What the one-step fulfilment (pack and ship every item a facility holds) answers. */
export interface Fulfillment {
  orderId: string;
  facilityId: string;
  shippedItemIds: string[];
  order: OrderView;
}

type HeldItem = OrderItemRow & { facilityId: string };

function packable(item: OrderItemRow, facilityId: string): item is HeldItem {
  return holdsReservation(item) && item.facilityId === facilityId && canTransition(ORDER_ITEM_TRANSITIONS, item.status, 'PACKED');
}

/**
 * Shipments: items of one order that a facility holds (allocated or picking) are packed into a
 * shipment (PACKED, reservations kept), which ships with a carrier and a tracking number (SHIPPED:
 * reservation and on hand drop, with ledger rows; the order completes once every item is final) or
 * is unpacked (its items back to PICKING). Every step locks the order, then its items, and writes
 * history and an outbox event in its transaction; the cache follows the stock after commit.
 */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly shipments: ShipmentsRepository,
    private readonly orders: OrdersRepository,
    private readonly reservations: ItemReservations,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly ordersService: OrdersService,
  ) {}

  /** Packs the items: a ConflictError naming the first item that the facility does not hold ready to pack. */
  async pack(input: NewShipment, actor: string, scope: AccessScope = UNRESTRICTED): Promise<ShipmentView> {
    const { orderId, facilityId } = input;
    const id = await this.db.transaction(async (tx) => {
      await lockVisibleOrder(this.orders, tx, orderId, scope);
      await assertVisibleFacility(this.orders, tx, facilityId, scope);
      const items = await this.orders.lockItems(tx, orderId);
      const chosen = input.itemIds.map((itemId) => {
        const item = items.find((candidate) => candidate.id === itemId);
        if (!item) throw new NotFoundError(`order item ${itemId} not found`);
        if (item.facilityId !== facilityId && holdsReservation(item)) {
          throw new ConflictError(`order item ${itemId} is held by another facility than ${facilityId}`);
        }
        if (!packable(item, facilityId)) throw new ConflictError(`order item ${itemId} is ${item.status} and cannot be packed`);
        return item;
      });
      return this.packLocked(tx, orderId, facilityId, chosen, input.packages ?? [], actor);
    });
    return this.get(id, scope);
  }

  /** Ships a packed shipment; a ConflictError once it has shipped or was unpacked. */
  async ship(id: string, tracking: Tracking, actor: string, scope: AccessScope = UNRESTRICTED): Promise<ShipmentView> {
    const { orderId } = await this.reference(id, scope);
    const shipped = await this.db.transaction(async (tx) => {
      await lockVisibleOrder(this.orders, tx, orderId, scope);
      const items = await this.orders.lockItems(tx, orderId);
      const shipment = await this.packedShipment(tx, id, 'shipped');
      return this.shipLocked(tx, shipment, items, tracking, actor);
    });
    await this.invalidate(shipped);
    return this.get(id, scope);
  }

  /** Unpacks a packed shipment: its items go back to PICKING, and it stays on record as UNPACKED. A ConflictError once shipped. */
  async unpack(id: string, actor: string, scope: AccessScope = UNRESTRICTED): Promise<ShipmentView> {
    const { orderId } = await this.reference(id, scope);
    await this.db.transaction(async (tx) => {
      await lockVisibleOrder(this.orders, tx, orderId, scope);
      await this.orders.lockItems(tx, orderId);
      const shipment = await this.packedShipment(tx, id, 'unpacked');
      const itemIds = shipment.items.map((item) => item.itemId);
      await this.statuses.moveItems(
        tx,
        itemIds.map((itemId) => ({ itemId, status: 'PICKING', history: { type: 'UNPACKED', note: `shipment ${id}` } })),
      );
      await this.shipments.markUnpacked(tx, id);
      await this.outbox.enqueue(tx, 'order.unpacked', orderId, { orderId, shipmentId: id, facilityId: shipment.facilityId, itemIds, actor });
    });
    return this.get(id, scope);
  }

  /**
   * Packs and ships, in one transaction, every item of the order that the facility holds ready to
   * pack (allocated or picking): the one-step fulfilment. A ConflictError when there is none, or
   * the order is cancelled.
   */
  async packAndShip(
    orderId: string,
    facilityId: string,
    tracking: Partial<Tracking>,
    actor: string,
    scope: AccessScope = UNRESTRICTED,
  ): Promise<Fulfillment> {
    const shipped = await this.db.transaction(async (tx) => {
      if ((await lockVisibleOrder(this.orders, tx, orderId, scope)).status === 'CANCELLED') throw new ConflictError(`order ${orderId} is cancelled`);
      await assertVisibleFacility(this.orders, tx, facilityId, scope);
      const items = await this.orders.lockItems(tx, orderId);
      const chosen = items.filter((item) => packable(item, facilityId));
      if (chosen.length === 0) throw new ConflictError(`order ${orderId} has no item allocated to facility ${facilityId}`);
      const id = await this.packLocked(tx, orderId, facilityId, chosen, [], actor);
      const shipment = (await this.shipments.find(tx, id))!;
      return this.shipLocked(tx, shipment, items, tracking, actor);
    });
    await this.invalidate(shipped);
    return { orderId, facilityId, shippedItemIds: shipped.map((item) => item.id), order: await this.ordersService.get(orderId) };
  }

  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<ShipmentView> {
    await this.reference(id, scope);
    return (await this.shipments.find(this.db, id))!;
  }

  /** The order's shipments, oldest first, if `scope` reaches its channel (those of facilities it does not reach left out). */
  async ofOrder(orderId: string, scope: AccessScope = UNRESTRICTED): Promise<ShipmentView[]> {
    await this.ordersService.get(orderId, scope);
    return (await this.shipments.ofOrder(this.db, orderId)).filter((shipment) => reachesFacility(scope, shipment.facilityId));
  }

  private async packLocked(tx: Queryable, orderId: string, facilityId: string, items: HeldItem[], packages: ShipmentPackage[], actor: string) {
    const itemIds = items.map((item) => item.id);
    const id = await this.shipments.insertPacked(tx, orderId, facilityId, itemIds, packages);
    await this.statuses.moveItems(
      tx,
      itemIds.map((itemId) => ({ itemId, status: 'PACKED', history: { note: `shipment ${id}` } })),
    );
    await this.outbox.enqueue(tx, 'order.packed', orderId, { orderId, shipmentId: id, facilityId, itemIds, actor });
    return id;
  }

  /** Ships the packed shipment whose order and items the caller locked; returns the items shipped. */
  private async shipLocked(tx: Queryable, shipment: ShipmentView, items: OrderItemRow[], tracking: Partial<Tracking>, actor: string) {
    const { id, orderId, facilityId } = shipment;
    const shipmentItemIds = new Set(shipment.items.map((item) => item.itemId));
    const shipped = items.filter((item): item is HeldItem => shipmentItemIds.has(item.id) && holdsReservation(item));
    await this.statuses.moveItems(
      tx,
      shipped.map((item) => ({ itemId: item.id, status: 'SHIPPED', history: { note: `shipment ${id}` } })),
    );
    await this.reservations.deliver(tx, shipped, { reason: 'shipped', actor });
    await this.shipments.markShipped(tx, id, tracking);
    if (completesOrder(items, shipped)) await this.statuses.moveOrders(tx, [{ orderId, status: 'COMPLETED' }]);
    await this.outbox.enqueue(tx, 'order.shipped', orderId, {
      orderId,
      shipmentId: id,
      facilityId,
      itemIds: shipped.map((item) => item.id),
      carrier: tracking.carrier ?? null,
      trackingNumber: tracking.trackingNumber ?? null,
    });
    return shipped;
  }

  /** The shipment as read under its order's lock, if still PACKED; a ConflictError naming its status otherwise. */
  private async packedShipment(tx: Queryable, id: string, wanted: 'shipped' | 'unpacked'): Promise<ShipmentView> {
    const shipment = (await this.shipments.find(tx, id))!;
    if (shipment.status !== 'PACKED') throw new ConflictError(`shipment ${id} is ${shipment.status} and cannot be ${wanted}`);
    return shipment;
  }

  /** Whose shipment it is, if `scope` reaches both its facility and its order's channel: one outside it is not found. */
  private async reference(id: string, scope: AccessScope): Promise<ShipmentReference> {
    const reference = await this.shipments.referenceOf(this.db, id);
    if (!reference || !reachesFacility(scope, reference.facilityId) || !reachesChannel(scope, reference.salesChannel)) {
      throw new NotFoundError(`shipment ${id} not found`);
    }
    return reference;
  }

  private async invalidate(shipped: OrderItemRow[]): Promise<void> {
    if (shipped.length === 0) return;
    await this.cache.invalidate(invalidatedTags(shipped.map((item) => ({ topic: 'inventory.changed' as const, productId: item.productId }))));
  }
}
