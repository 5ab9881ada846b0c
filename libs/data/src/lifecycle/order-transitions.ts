import { OrderItemStatus, OrderStatus } from './statuses';
import { predecessorsOf, TransitionTable } from './transition-table';

/**
 * An order is CREATED, then APPROVED: only approved orders are brokered. Brokering sets its status
 * from its items (BROKERED, PARTIALLY_BROKERED or BACKORDERED, again as stock arrives), it is
 * COMPLETED once every item has shipped, and it may be CANCELLED until then, approved or not.
 */
export const ORDER_TRANSITIONS: TransitionTable<OrderStatus> = {
  CREATED: { to: ['APPROVED', 'CANCELLED'] },
  APPROVED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'CANCELLED'] },
  BACKORDERED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'CANCELLED'] },
  PARTIALLY_BROKERED: { to: ['BROKERED', 'PARTIALLY_BROKERED', 'CANCELLED'] },
  BROKERED: { to: ['COMPLETED', 'CANCELLED'] },
  COMPLETED: { to: [] },
  CANCELLED: { to: [] },
};

/** An item is allocated to a facility or backordered, shipped from where it is allocated, and may be cancelled until it ships. */
export const ORDER_ITEM_TRANSITIONS: TransitionTable<OrderItemStatus> = {
  CREATED: { to: ['ALLOCATED', 'BACKORDERED', 'CANCELLED'] },
  BACKORDERED: { to: ['ALLOCATED', 'CANCELLED'] },
  ALLOCATED: { to: ['SHIPPED', 'CANCELLED'] },
  SHIPPED: { to: [] },
  CANCELLED: { to: [] },
};

/** Orders brokering may still work on: those that may yet become BROKERED. */
export const BROKERABLE_ORDER_STATUSES = predecessorsOf(ORDER_TRANSITIONS, 'BROKERED');

/** Items brokering allocates or backorders: those that may yet become ALLOCATED. */
export const UNALLOCATED_ITEM_STATUSES = predecessorsOf(ORDER_ITEM_TRANSITIONS, 'ALLOCATED');
