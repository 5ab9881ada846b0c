import { CacheInvalidator } from '@app/cache';
import { ConflictError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { orderStatusOf } from '../brokering/brokering-changes';
import { BrokeringService } from '../brokering/brokering.service';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { InventoryJournal } from '../inventory/inventory-journal';
import { InventoryRepository } from '../inventory/inventory.repository';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { holdsReservation } from '../lifecycle/statuses';
import { canTransition } from '../lifecycle/transition-table';
import { OrdersRepository } from '../orders/orders.repository';
import { lockVisibleOrder } from '../orders/visible-order';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ItemRejectionsRepository } from './item-rejections.repository';
import { onHandDeltaOfRejection, RejectionReason } from './rejection-effect';
import { REJECTED_QUEUE } from './routing-config';

export interface Rejection {
  orderId: string;
  itemId: string;
  reason: RejectionReason;
  note?: string;
}

/**
 * A facility rejects an item it holds (allocated, or being picked: it leaves its picklist): the
 * item's reservation there is released, the facility's stock on hand follows the reason (with a
 * ledger row), the facility is recorded as rejected for that item, and the item is routed again at
 * once, never back to that facility.
 */
@Injectable()
export class RejectionService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly orders: OrdersRepository,
    private readonly inventory: InventoryRepository,
    private readonly journal: InventoryJournal,
    private readonly rejections: ItemRejectionsRepository,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly brokering: BrokeringService,
  ) {}

  async reject(rejection: Rejection, actor: string, scope: AccessScope = UNRESTRICTED): Promise<void> {
    const { orderId, itemId, reason } = rejection;
    const productId = await this.db.transaction(async (tx) => {
      const order = await lockVisibleOrder(this.orders, tx, orderId, scope);
      const items = await this.orders.lockItems(tx, orderId);
      const item = items.find((candidate) => candidate.id === itemId);
      if (!item || (item.facilityId !== null && !reachesFacility(scope, item.facilityId))) throw new NotFoundError(`order item ${itemId} not found`);
      if (!holdsReservation(item) || !canTransition(ORDER_ITEM_TRANSITIONS, item.status, 'BACKORDERED'))
        throw new ConflictError(`order item ${itemId} is ${item.status} and cannot be rejected`);

      const key = { facilityId: item.facilityId, productId: item.productId };
      const stock = await this.inventory.lockOrCreate(tx, key);
      const onHandDelta = onHandDeltaOfRejection(reason, {
        quantityOnHand: stock.onHand,
        reservedByOthers: stock.reserved - item.quantity,
        itemQuantity: item.quantity,
      });
      await this.inventory.releaseReservation(tx, key, item.quantity);
      const balance = await this.inventory.setLevels(tx, key, { quantityOnHand: stock.onHand + onHandDelta });
      await this.journal.record(tx, balance, { onHandDelta, reservedDelta: -item.quantity, reason: `rejected: ${reason}`, actor, orderId });
      await this.rejections.record(tx, { itemId, facilityId: item.facilityId, reason, note: rejection.note ?? null });

      await this.statuses.moveItems(tx, [
        {
          itemId,
          status: 'BACKORDERED',
          queue: REJECTED_QUEUE,
          history: { type: 'REJECTED', facilityId: item.facilityId, reason, note: rejection.note ?? null },
        },
      ]);
      const status = orderStatusOf(items.map((candidate) => (candidate.id === itemId ? 'BACKORDERED' : candidate.status)));
      if (status !== order.status) await this.statuses.moveOrders(tx, [{ orderId, status }]);
      await this.outbox.enqueue(tx, 'order.item_rejected', orderId, { orderId, itemId, facilityId: item.facilityId, reason });
      return item.productId;
    });
    await this.cache.invalidate(invalidatedTags([{ topic: 'inventory.changed', productId }]));
    // Routed again now, after any worker that took the order on the rejection's events has committed.
    await this.brokering.brokerOrders([orderId], undefined, { waitForLocks: true });
  }
}
