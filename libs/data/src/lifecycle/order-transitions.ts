import { OrderItemStatus, OrderStatus } from './statuses';
import { predecessorsOf, TransitionTable } from './transition-table';

/**
 * An order is CREATED, then APPROVED or HELD (an approval rule, or customer service, holds it: a
 * held order is not brokered, and is APPROVED again when released): only approved orders are brokered. Brokering sets its status
 * from its items (BROKERED, PARTIALLY_BROKERED or BACKORDERED, again as stock arrives), it is
 * COMPLETED once every item has shipped, been handed over or been cancelled with one not cancelled at least, and it may be
 * CANCELLED until then, approved or not. An item a facility rejects waits again, so a brokered order
 * may become partly brokered or backordered; cancelling the last item that waits may complete a
 * partly brokered order.
 */
export const ORDER_TRANSITIONS: TransitionTable<OrderStatus> = {
  CREATED: { to: ['APPROVED', 'HELD', 'CANCELLED'] },
  APPROVED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'HELD', 'CANCELLED'] },
  HELD: { to: ['APPROVED', 'CANCELLED'] },
  BACKORDERED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'HELD', 'CANCELLED'] },
  PARTIALLY_BROKERED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'HELD', 'COMPLETED', 'CANCELLED'] },
  BROKERED: { to: ['PARTIALLY_BROKERED', 'BACKORDERED', 'HELD', 'COMPLETED', 'CANCELLED'] },
  COMPLETED: { to: [] },
  CANCELLED: { to: [] },
};

/**
 * An item is allocated to a facility or waits in a queue (BACKORDERED, moving between queues as
 * routing parks it). At its facility it is picked (PICKING, on a picklist), packed into a shipment
 * (PACKED; unpacking puts it back to PICKING) and shipped, or made ready for pickup and handed over.
 * It waits again when the facility rejects it or the order is held, and may be cancelled until it
 * is packed; an item ready for pickup that nobody collects is cancelled. Returns are records of
 * their own, not item statuses: SHIPPED and HANDED_OVER are final. Nothing goes back from PICKING
 * to ALLOCATED: an item taken off its picklist waits again and is routed anew.
 */
export const ORDER_ITEM_TRANSITIONS: TransitionTable<OrderItemStatus> = {
  CREATED: { to: ['ALLOCATED', 'BACKORDERED', 'CANCELLED'] },
  BACKORDERED: { to: ['ALLOCATED', 'BACKORDERED', 'CANCELLED'] },
  ALLOCATED: { to: ['PICKING', 'PACKED', 'READY_FOR_PICKUP', 'BACKORDERED', 'CANCELLED'] },
  PICKING: { to: ['PACKED', 'READY_FOR_PICKUP', 'BACKORDERED', 'CANCELLED'] },
  PACKED: { to: ['SHIPPED', 'PICKING'] },
  READY_FOR_PICKUP: { to: ['HANDED_OVER', 'CANCELLED'] },
  SHIPPED: { to: [] },
  HANDED_OVER: { to: [] },
  CANCELLED: { to: [] },
};

/** Orders brokering may still work on: those that may yet become BROKERED. */
export const BROKERABLE_ORDER_STATUSES = predecessorsOf(ORDER_TRANSITIONS, 'BROKERED');

/** Items brokering allocates or backorders: those that may yet become ALLOCATED. */
export const UNALLOCATED_ITEM_STATUSES = predecessorsOf(ORDER_ITEM_TRANSITIONS, 'ALLOCATED');
