import { CacheInvalidator } from '@app/cache';
import { ConflictError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, UNRESTRICTED } from '../api-keys/api-key-access';
import type { HoldReason } from '../approval/hold-reasons';
import { BrokeringService } from '../brokering/brokering.service';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { ItemReservations } from '../inventory/item-reservations';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { holdsReservation } from '../lifecycle/statuses';
import { canTransition } from '../lifecycle/transition-table';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { BROKERING_QUEUE } from '../routing/routing-config';
import type { OrderView } from './order.view';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { lockVisibleOrder } from './visible-order';

export interface Hold {
  reason: HoldReason;
  note?: string;
}

/** The status an item held waits in: it keeps no reservation, and is routed again from BROKERING when the order is released. */
const WAITING = 'BACKORDERED' as const;

/**
 * Customer service holds an order (it is not brokered while held) and releases it. A hold
 * releases the reservations of the order's allocated items (ledger rows and `inventory.changed`
 * events, so that other orders may take the stock), and the items wait in BROKERING; a release
 * approves the order again and routes it at once. Each writes its history and outbox event in the
 * transaction of the change.
 */
@Injectable()
export class OrderHoldsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly orders: OrdersRepository,
    private readonly reservations: ItemReservations,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly brokering: BrokeringService,
    private readonly view: OrdersService,
  ) {}

  /**
   * Holds the order; a held order is answered as it is (no second history entry). A ConflictError
   * once an item is packed or further (anything the transitions table lets no more wait),
   * or when the order is completed or cancelled.
   */
  async hold(id: string, hold: Hold, actor: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const released = await this.db.transaction(async (tx) => {
      if ((await this.lockOrder(tx, id, scope)) === 'HELD') return [];
      const items = await this.orders.lockItems(tx, id);
      const advanced = items.find((item) => item.status !== 'CANCELLED' && !canTransition(ORDER_ITEM_TRANSITIONS, item.status, WAITING));
      if (advanced !== undefined) throw new ConflictError(`order ${id} has an item ${advanced.status} and cannot be held`);
      await this.statuses.moveOrders(tx, [{ orderId: id, status: 'HELD', history: { reason: hold.reason, note: hold.note ?? null } }]);
      await this.orders.setHold(tx, id, { reason: hold.reason, note: hold.note ?? null });
      const allocated = items.filter(holdsReservation);
      await this.statuses.moveItems(
        tx,
        allocated.map((item) => ({ itemId: item.id, status: WAITING, queue: BROKERING_QUEUE })),
      );
      await this.reservations.release(tx, allocated, { reason: 'order held', actor });
      await this.outbox.enqueue(tx, 'order.held', id, { orderId: id, reason: hold.reason });
      return allocated;
    });
    await this.cache.invalidate(invalidatedTags(released.map((item) => ({ topic: 'inventory.changed', productId: item.productId }))));
    return this.view.get(id);
  }

  /** Releases a held order: APPROVED again, and routed at once. A ConflictError when the order is not held. */
  async release(id: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    await this.db.transaction(async (tx) => {
      const status = await this.lockOrder(tx, id, scope);
      if (status !== 'HELD') throw new ConflictError(`order ${id} is ${status} and cannot be released`);
      await this.statuses.moveOrders(tx, [{ orderId: id, status: 'APPROVED', history: { type: 'RELEASED' } }]);
      await this.orders.setHold(tx, id, null);
      await this.outbox.enqueue(tx, 'order.released', id, { orderId: id });
    });
    // Routed now, after any worker that took the order on the release's event has committed.
    await this.brokering.brokerOrders([id], undefined, { waitForLocks: true });
    return this.view.get(id);
  }

  private async lockOrder(tx: Queryable, id: string, scope: AccessScope) {
    return (await lockVisibleOrder(this.orders, tx, id, scope)).status;
  }
}
