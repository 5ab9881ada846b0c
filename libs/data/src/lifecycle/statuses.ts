/**
 * Every status an order and an order item can be in. The TypeScript types, the API's enums and the
 * database's CHECK constraints come from these lists (an integration test holds the migrated
 * constraints against them); what may follow what is in order-transitions.ts.
 */
export const ORDER_STATUSES = ['CREATED', 'APPROVED', 'HELD', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_ITEM_STATUSES = [
  'CREATED',
  'ALLOCATED',
  'BACKORDERED',
  'PICKING',
  'PACKED',
  'READY_FOR_PICKUP',
  'SHIPPED',
  'HANDED_OVER',
  'CANCELLED',
] as const;
export type OrderItemStatus = (typeof ORDER_ITEM_STATUSES)[number];

/**
 * Items that hold stock reserved at their facility: allocated there and not yet gone (shipped or
 * handed over) nor cancelled. Leaving one of these statuses releases or consumes the reservation.
 */
export const RESERVING_ITEM_STATUSES: readonly OrderItemStatus[] = ['ALLOCATED', 'PICKING', 'PACKED', 'READY_FOR_PICKUP'];

/** Items that left their facility with the customer: what an order completes with. */
export const DELIVERED_ITEM_STATUSES: readonly OrderItemStatus[] = ['SHIPPED', 'HANDED_OVER'];

export function holdsReservation<T extends { status: OrderItemStatus; facilityId: string | null }>(item: T): item is T & { facilityId: string } {
  return RESERVING_ITEM_STATUSES.includes(item.status) && item.facilityId !== null;
}
