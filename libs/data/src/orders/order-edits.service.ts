import { CacheInvalidator } from '@app/cache';
import { ConflictError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, UNRESTRICTED } from '../api-keys/api-key-access';
import { orderStatusOf } from '../brokering/brokering-changes';
import { BrokeringService } from '../brokering/brokering.service';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { allocatedItems, ItemReservations } from '../inventory/item-reservations';
import { BROKERABLE_ORDER_STATUSES } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import type { OrderItemStatus, OrderStatus } from '../lifecycle/statuses';
import { OutboxRepository } from '../outbox/outbox.repository';
import { BROKERING_QUEUE } from '../routing/routing-config';
import { applyOrderEdit, OrderEditInput } from './order-edit';
import { pickupFacilityRefusal } from './order-fields';
import type { OrderView } from './order.view';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { lockVisibleOrder } from './visible-order';

/** Items no facility has started to work on: an edit may still send them elsewhere. */
const NOT_YET_PICKED: readonly OrderItemStatus[] = ['CREATED', 'BACKORDERED', 'ALLOCATED'];

/** Orders that routing has taken up (approved, not held): their items are routed again when an edit asks for it. */
function isRouted(status: OrderStatus): boolean {
  return status === 'BROKERED' || BROKERABLE_ORDER_STATUSES.includes(status);
}

/**
 * Customer service edits an order: the address, shipping method, pickup facility, priority,
 * promise date and tags. An edit that changes how the order is routed releases the reservations
 * of its allocated items (they wait in BROKERING again) and routes the order at once, under
 * brokering's own locks and rules; items already picked or further stay where they are. The
 * EDITED history entry and the `order.edited` event are written in the transaction of the change;
 * an edit that changes nothing writes neither.
 */
@Injectable()
export class OrderEditsService {
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

  /** A ConflictError when the order is completed or cancelled, or when every item is picked or further. */
  async edit(id: string, input: OrderEditInput, actor: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const outcome = await this.db.transaction(async (tx) => {
      const locked = await lockVisibleOrder(this.orders, tx, id, scope);
      const items = await this.orders.lockItems(tx, id);
      if (!items.some((item) => NOT_YET_PICKED.includes(item.status))) {
        throw new ConflictError(`order ${id} is ${locked.status} with no item left to route and cannot be edited`);
      }
      const edit = applyOrderEdit((await this.orders.findById(tx, id))!, input);
      if (edit.changed.includes('pickupFacilityId') && edit.fields.pickupFacilityId !== null) {
        const verdict = await this.orders.pickupFacilityVerdict(tx, edit.fields.pickupFacilityId);
        if (verdict !== null) throw pickupFacilityRefusal(edit.fields.pickupFacilityId, verdict);
      }
      if (edit.changed.length === 0) return { released: [], reroute: false };
      await this.orders.applyEdit(tx, id, edit.fields, edit.changed);

      const reroute = edit.reroutes && isRouted(locked.status);
      const released = reroute ? allocatedItems(items) : [];
      if (released.length > 0) {
        await this.statuses.moveItems(
          tx,
          released.map((item) => ({ itemId: item.id, status: 'BACKORDERED', queue: BROKERING_QUEUE })),
        );
        await this.reservations.release(tx, released, { reason: 'order edited', actor });
        const releasedIds = new Set(released.map((item) => item.id));
        const status = orderStatusOf(items.map((item) => (releasedIds.has(item.id) ? 'BACKORDERED' : item.status)));
        if (status !== locked.status) await this.statuses.moveOrders(tx, [{ orderId: id, status }]);
      }
      await this.outbox.enqueue(tx, 'order.edited', id, { orderId: id, fields: edit.changed, rerouted: reroute });
      return { released, reroute };
    });
    if (outcome.released.length > 0) {
      await this.cache.invalidate(invalidatedTags(outcome.released.map((item) => ({ topic: 'inventory.changed', productId: item.productId }))));
    }
    // Routed now, after any worker that took the order on the edit's events has committed.
    if (outcome.reroute) await this.brokering.brokerOrders([id], undefined, { waitForLocks: true });
    return this.view.get(id, scope);
  }
}
