import type { OrderItemRow } from '../orders/order.view';
import { ORDER_ITEM_TRANSITIONS } from './order-transitions';
import { isFinal } from './transition-table';

/** Whether shipping or handing over these items leaves every item of the order final (shipped, handed over or cancelled): the order is then complete. */
export function completesOrder(items: OrderItemRow[], delivered: OrderItemRow[]): boolean {
  const deliveredIds = new Set(delivered.map((item) => item.id));
  return items.every((item) => deliveredIds.has(item.id) || isFinal(ORDER_ITEM_TRANSITIONS, item.status));
}
