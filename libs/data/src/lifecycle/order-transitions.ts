import { OrderItemStatus, OrderStatus } from './statuses';
import { predecessorsOf, TransitionTable } from './transition-table';

/**
 * An order is CREATED, then APPROVED or HELD (an approval rule, or customer service, holds it: a
 * held order is not brokered, and is APPROVED again when released): only approved orders are brokered. Brokering sets its status
 * from its items (BROKERED, PARTIALLY_BROKERED or BACKORDERED, again as stock arrives), it is
 * COMPLETED once every item has shipped or been cancelled with one shipped at least, and it may be
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
 * routing parks it), is shipped from where it is allocated, waits again when that facility rejects
 * it, and may be cancelled until it ships.
 */
export const ORDER_ITEM_TRANSITIONS: TransitionTable<OrderItemStatus> = {
  CREATED: { to: ['ALLOCATED', 'BACKORDERED', 'CANCELLED'] },
  BACKORDERED: { to: ['ALLOCATED', 'BACKORDERED', 'CANCELLED'] },
  ALLOCATED: { to: ['SHIPPED', 'BACKORDERED', 'CANCELLED'] },
  SHIPPED: { to: [] },
  CANCELLED: { to: [] },
};

/** Orders brokering may still work on: those that may yet become BROKERED. */
export const BROKERABLE_ORDER_STATUSES = predecessorsOf(ORDER_TRANSITIONS, 'BROKERED');

/** Items brokering allocates or backorders: those that may yet become ALLOCATED. */
export const UNALLOCATED_ITEM_STATUSES = predecessorsOf(ORDER_ITEM_TRANSITIONS, 'ALLOCATED');
