import { CacheInvalidator } from '@app/cache';
import { ConflictError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, UNRESTRICTED } from '../api-keys/api-key-access';
import { orderStatusOf } from '../brokering/brokering-changes';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import type { OrderHistoryType } from '../entities/order-history-entry.entity';
import { ItemReservations } from '../inventory/item-reservations';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { DELIVERED_ITEM_STATUSES, holdsReservation, OrderItemStatus, OrderStatus } from '../lifecycle/statuses';
import { isFinal } from '../lifecycle/transition-table';
import { OutboxEventDraft, OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { ItemCancelRepository, LockedOrder } from './item-cancel.repository';
import type { OrderItemRow, OrderView } from './order.view';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { lockVisibleOrder } from './visible-order';
import { UNFILLABLE_QUEUE } from '../routing/routing-config';

/** Items that wait for stock (in a queue, with no reservation): only these have an auto-cancel time that counts. */
const WAITING_ITEM_STATUSES: OrderItemStatus[] = ['BACKORDERED'];
/** Orders locked per auto-cancel transaction. */
const AUTO_CANCEL_BATCH = 200;

/**
 * The order's status once some of its items are cancelled: COMPLETED when every item is final with
 * one shipped or handed over at least, CANCELLED when every item is cancelled; otherwise what brokering says of
 * the items that remain, or the status it has while held or while its items were never routed (CREATED items).
 */
export function orderStatusAfterCancel(current: OrderStatus, items: OrderItemStatus[]): OrderStatus {
  if (items.every((status) => isFinal(ORDER_ITEM_TRANSITIONS, status))) {
    return items.some((status) => DELIVERED_ITEM_STATUSES.includes(status)) ? 'COMPLETED' : 'CANCELLED';
  }
  // A held order, or one not routed yet, keeps its status: it does not come from its items.
  if (current === 'HELD' || items.includes('CREATED')) return current;
  return orderStatusOf(items.filter((status) => status !== 'CANCELLED'));
}

export interface CancelDetail {
  type: OrderHistoryType;
  reason: string;
  actor: string;
}

/**
 * Cancels single items of an order, on request or when their auto-cancel time has passed: the item
 * is CANCELLED and its reservation released (a ledger row), the order's status follows from its
 * items, and history and an outbox event (`order.item_cancelled`, or `order.cancelled` when the
 * whole order ends cancelled) are written in the same transaction.
 */
@Injectable()
export class ItemCancelService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly orders: OrdersRepository,
    private readonly cancels: ItemCancelRepository,
    private readonly reservations: ItemReservations,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly ordersService: OrdersService,
  ) {}

  /** Cancels one item; a cancelled item answers as it is. 409 (naming its status) once it is packed or further. */
  async cancel(orderId: string, itemId: string, actor: string, reason = 'item cancelled', scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const released = await this.db.transaction(async (tx) => {
      const { order, items, item } = await this.lockItem(tx, orderId, itemId, scope);
      if (item.status === 'CANCELLED') return [];
      return this.cancelLocked(tx, [order], items, [item], { type: 'CANCELLED', reason, actor });
    });
    await this.invalidate(released);
    return this.ordersService.get(orderId, scope);
  }

  /**
   * Cancels every waiting item whose auto-cancel time has passed, in batches of orders locked with
   * SKIP LOCKED (in the lock order: orders, then their items), and returns how many were cancelled.
   */
  async autoCancelDue(now = new Date()): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const orders = await this.cancels.lockOrdersDue(tx, WAITING_ITEM_STATUSES, now, AUTO_CANCEL_BATCH);
        if (orders.length === 0) return undefined;
        const items = await this.cancels.lockItemsOf(
          tx,
          orders.map((order) => order.id),
        );
        const due = items.filter((item) => WAITING_ITEM_STATUSES.includes(item.status) && item.autoCancelAt !== null && item.autoCancelAt <= now);
        const released = await this.cancelLocked(tx, orders, items, due, { type: 'AUTO_CANCELLED', reason: 'auto-cancel', actor: 'system' });
        return { count: due.length, released };
      });
      if (batch === undefined) return cancelled;
      cancelled += batch.count;
      await this.invalidate(batch.released);
    }
  }

  /** Clears or moves the auto-cancel time of an item that waits in UNFILLABLE; 409 for any other item. */
  async setAutoCancelAt(orderId: string, itemId: string, at: Date | null, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    await this.db.transaction(async (tx) => {
      const { item } = await this.lockItem(tx, orderId, itemId, scope);
      if (!WAITING_ITEM_STATUSES.includes(item.status))
        throw new ConflictError(`order item ${itemId} is ${item.status} and does not wait to be cancelled`);
      // Routing parks items with an auto-cancel time in UNFILLABLE only; another queue's item is routed on, not cancelled.
      if (item.queue !== UNFILLABLE_QUEUE) throw new ConflictError(`order item ${itemId} waits in ${item.queue}, not ${UNFILLABLE_QUEUE}`);
      if ((item.autoCancelAt?.getTime() ?? null) === (at?.getTime() ?? null)) return;
      await this.cancels.setAutoCancelAt(tx, orderId, itemId, at);
      await this.outbox.enqueue(tx, 'order.item_edited', orderId, { orderId, itemId, autoCancelAt: at?.toISOString() ?? null });
    });
    return this.ordersService.get(orderId, scope);
  }

  private async lockItem(
    tx: Queryable,
    orderId: string,
    itemId: string,
    scope: AccessScope,
  ): Promise<{ order: LockedOrder; items: OrderItemRow[]; item: OrderItemRow }> {
    const order = await lockVisibleOrder(this.orders, tx, orderId, scope);
    const items = await this.orders.lockItems(tx, orderId);
    const item = items.find((candidate) => candidate.id === itemId);
    if (!item) throw new NotFoundError(`order item ${itemId} not found`);
    return { order: { id: orderId, status: order.status }, items, item };
  }

  /**
   * Cancels these items of the locked orders (every item of which is locked too), releases what the
   * allocated ones reserved, moves the orders to the status that follows from their items, and
   * writes the events; returns the items cancelled (their units, reserved or waiting, were held
   * back from the channels' availability). Also for the schedules of other features that cancel
   * items (pickups not collected), in their transaction.
   */
  async cancelLocked(
    tx: Queryable,
    orders: LockedOrder[],
    items: OrderItemRow[],
    cancelled: OrderItemRow[],
    detail: CancelDetail,
  ): Promise<OrderItemRow[]> {
    if (cancelled.length === 0) return [];
    await this.statuses.moveItems(
      tx,
      cancelled.map((item) => ({ itemId: item.id, status: 'CANCELLED', history: { type: detail.type, reason: detail.reason } })),
    );
    const released = cancelled.filter(holdsReservation);
    await this.reservations.release(tx, released, { reason: detail.reason, actor: detail.actor });

    const cancelledIds = new Set(cancelled.map((item) => item.id));
    const changes = orders.flatMap((order) => {
      const own = items.filter((item) => item.orderId === order.id);
      const status = orderStatusAfterCancel(
        order.status,
        own.map((item) => (cancelledIds.has(item.id) ? 'CANCELLED' : item.status)),
      );
      return status === order.status || !own.some((item) => cancelledIds.has(item.id)) ? [] : [{ orderId: order.id, status }];
    });
    await this.statuses.moveOrders(tx, changes);

    const orderCancelled = new Set(changes.filter((change) => change.status === 'CANCELLED').map((change) => change.orderId));
    const events: OutboxEventDraft[] = [
      ...[...orderCancelled].map((orderId): OutboxEventDraft => ({ topic: 'order.cancelled', aggregateId: orderId, payload: { orderId } })),
      ...cancelled
        .filter((item) => !orderCancelled.has(item.orderId))
        .map((item): OutboxEventDraft => ({
          topic: 'order.item_cancelled',
          aggregateId: item.orderId,
          payload: { orderId: item.orderId, itemId: item.id, auto: detail.type === 'AUTO_CANCELLED' },
        })),
    ];
    await this.outbox.enqueueMany(tx, events);
    // Waiting items held units back from the channels' availability too: theirs changes as well.
    return cancelled;
  }

  private async invalidate(released: OrderItemRow[]): Promise<void> {
    if (released.length === 0) return;
    await this.cache.invalidate(invalidatedTags(released.map((item) => ({ topic: 'inventory.changed' as const, productId: item.productId }))));
  }
}
