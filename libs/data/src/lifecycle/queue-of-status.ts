import { BACKORDER_QUEUE, BROKERING_QUEUE } from '../routing/routing-config';
import type { OrderItemStatus } from './statuses';

/**
 * The queue an item waits in after a move to a status, when the change names none: a status not
 * listed is one that no longer waits (allocated, shipped, cancelled), and leaves no queue.
 */
export const ITEM_QUEUE_OF_STATUS: Partial<Record<OrderItemStatus, string>> = {
  CREATED: BROKERING_QUEUE,
  BACKORDERED: BACKORDER_QUEUE,
};

export function defaultQueueOf(status: OrderItemStatus): string | null {
  return ITEM_QUEUE_OF_STATUS[status] ?? null;
}
