import { CacheInvalidator } from '@app/cache';
import { ConflictError, NotFoundError } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { ItemReservations } from '../inventory/item-reservations';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { canTransition } from '../lifecycle/transition-table';
import { ItemCancelService } from '../orders/item-cancel.service';
import { ItemCancelRepository } from '../orders/item-cancel.repository';
import type { OrderItemRow, OrderRow, OrderView } from '../orders/order.view';
import { OrdersRepository } from '../orders/orders.repository';
import { completesOrder } from '../lifecycle/completes-order';
import { OrdersService } from '../orders/orders.service';
import { assertVisibleFacility, lockVisibleOrder } from '../orders/visible-order';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { PickupProof, PickupRepository, proofNote } from './pickup.repository';

export type { PickupProof } from './pickup.repository';

const DAY_MS = 86_400_000;
/** Orders locked per not-collected transaction. */
const NOT_COLLECTED_BATCH = 200;
export const NOT_COLLECTED_REASON = 'not collected';

/**
 * Store pickup after routing: the store makes an order's items ready (the customer is told through
 * the `order.ready_for_pickup` event), hands them over against proof (the stock leaves the store:
 * reservation and on hand drop, with ledger rows, and the order completes), or, when nobody
 * collects them within PICKUP_EXPIRY_DAYS, the AUTO_CANCEL_CRON schedule cancels them and releases
 * their stock. Each writes history and its outbox event in the transaction of the change.
 */
@Injectable()
export class PickupService {
  private readonly expiryDays: number;

  constructor(
    private readonly db: PrimaryDatabase,
    private readonly orders: OrdersRepository,
    private readonly pickups: PickupRepository,
    private readonly cancels: ItemCancelRepository,
    private readonly itemCancels: ItemCancelService,
    private readonly reservations: ItemReservations,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly view: OrdersService,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'pickup'>,
  ) {
    this.expiryDays = config.pickup.expiryDays;
  }

  /**
   * Makes the order's items held at its pickup store ready for pickup. A ConflictError when the
   * order is not a pickup order, is collected at another store, or has no item there that may
   * become ready (naming the statuses its items are in).
   */
  async readyForPickup(orderId: string, facilityId: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    await this.db.transaction(async (tx) => {
      const order = await this.lockPickupOrder(tx, orderId, scope);
      await assertVisibleFacility(this.orders, tx, facilityId, scope);
      if (order.pickupFacilityId !== facilityId) {
        throw new ConflictError(`order ${orderId} is collected at facility ${order.pickupFacilityId}, not ${facilityId}`);
      }
      const items = await this.orders.lockItems(tx, orderId);
      const ready = items.filter((item) => item.facilityId === facilityId && canTransition(ORDER_ITEM_TRANSITIONS, item.status, 'READY_FOR_PICKUP'));
      if (ready.length === 0)
        throw new ConflictError(`order ${orderId} has no item allocated at facility ${facilityId} (items: ${statusesOf(items)})`);
      await this.statuses.moveItems(
        tx,
        ready.map((item) => ({ itemId: item.id, status: 'READY_FOR_PICKUP' })),
      );
      await this.outbox.enqueue(tx, 'order.ready_for_pickup', orderId, { orderId, facilityId, itemIds: ready.map((item) => item.id) });
    });
    return this.view.get(orderId, scope);
  }

  /**
   * Hands the ready items over to the customer against proof: they leave the store (reservation
   * and on hand drop, ledger rows), the proof is kept and shown in their history, and the order is
   * COMPLETED once every item is closed. A ConflictError when no item is ready for pickup.
   */
  async handover(orderId: string, proof: PickupProof, actor: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const handed = await this.db.transaction(async (tx) => {
      const order = await this.lockPickupOrder(tx, orderId, scope);
      const facilityId = order.pickupFacilityId!;
      if (!reachesFacility(scope, facilityId)) throw new NotFoundError(`order ${orderId} not found`);
      const items = await this.orders.lockItems(tx, orderId);
      const ready = items.filter((item) => item.status === 'READY_FOR_PICKUP');
      if (ready.length === 0) throw new ConflictError(`order ${orderId} has no item ready for pickup (items: ${statusesOf(items)})`);
      const note = proofNote(proof);
      await this.statuses.moveItems(
        tx,
        ready.map((item) => ({ itemId: item.id, status: 'HANDED_OVER', history: { reason: 'handed over', note } })),
      );
      await this.reservations.deliver(
        tx,
        ready.map((row) => ({ ...row, facilityId: row.facilityId! })),
        { reason: 'handed over', actor },
      );
      if (completesOrder(items, ready)) await this.statuses.moveOrders(tx, [{ orderId, status: 'COMPLETED' }]);
      const itemIds = ready.map((item) => item.id);
      await this.pickups.recordHandover(tx, { orderId, facilityId, itemIds, proof, actor });
      await this.outbox.enqueue(tx, 'order.handed_over', orderId, { orderId, facilityId, itemIds });
      return ready;
    });
    await this.invalidate(handed);
    return this.view.get(orderId, scope);
  }

  /**
   * Cancels the items ready for pickup for more than PICKUP_EXPIRY_DAYS (`not collected`),
   * releasing their stock, in batches of orders locked with SKIP LOCKED; returns how many items it
   * cancelled. Run by the AUTO_CANCEL_CRON schedule.
   */
  async cancelNotCollected(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.expiryDays * DAY_MS);
    let cancelled = 0;
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const orders = await this.pickups.lockOrdersNotCollected(tx, cutoff, NOT_COLLECTED_BATCH);
        if (orders.length === 0) return undefined;
        const orderIds = orders.map((order) => order.id);
        const items = await this.cancels.lockItemsOf(tx, orderIds);
        const due = new Set(await this.pickups.itemsNotCollected(tx, orderIds, cutoff));
        const expired = items.filter((item) => due.has(item.id));
        const released = await this.itemCancels.cancelLocked(tx, orders, items, expired, {
          type: 'CANCELLED',
          reason: NOT_COLLECTED_REASON,
          actor: 'system',
        });
        return { count: expired.length, released };
      });
      if (batch === undefined) return cancelled;
      cancelled += batch.count;
      await this.invalidate(batch.released);
    }
  }

  /** Locks the order; a ConflictError unless it is a pickup order. */
  private async lockPickupOrder(tx: Queryable, orderId: string, scope: AccessScope): Promise<OrderRow & { pickupFacilityId: string }> {
    await lockVisibleOrder(this.orders, tx, orderId, scope);
    const order = (await this.orders.findById(tx, orderId))!;
    if (order.shippingMethod !== 'PICKUP' || order.pickupFacilityId === null) {
      throw new ConflictError(`order ${orderId} is not a pickup order (shippingMethod ${order.shippingMethod})`);
    }
    return { ...order, pickupFacilityId: order.pickupFacilityId };
  }

  private async invalidate(items: OrderItemRow[]): Promise<void> {
    if (items.length === 0) return;
    await this.cache.invalidate(invalidatedTags(items.map((item) => ({ topic: 'inventory.changed' as const, productId: item.productId }))));
  }
}

function statusesOf(items: OrderItemRow[]): string {
  return [...new Set(items.map((item) => item.status))].join(', ');
}
