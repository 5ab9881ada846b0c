import type { OrderHistoryType } from '../entities/order-history-entry.entity';
import type { OrderItemStatus, OrderStatus } from './statuses';

/**
 * The history entry a status change writes, by the status it moves to; moves to a status not
 * listed (the order statuses that follow from its items) and moves to the same status write none.
 */
export const ORDER_HISTORY_OF_STATUS: Partial<Record<OrderStatus, OrderHistoryType>> = {
  APPROVED: 'APPROVED',
  HELD: 'HELD',
  CANCELLED: 'CANCELLED',
};

export const ITEM_HISTORY_OF_STATUS: Partial<Record<OrderItemStatus, OrderHistoryType>> = {
  ALLOCATED: 'ALLOCATED',
  BACKORDERED: 'QUEUED',
  PICKING: 'PICKING',
  PACKED: 'PACKED',
  READY_FOR_PICKUP: 'READY_FOR_PICKUP',
  SHIPPED: 'SHIPPED',
  HANDED_OVER: 'HANDED_OVER',
  CANCELLED: 'CANCELLED',
};
