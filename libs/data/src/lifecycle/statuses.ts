/**
 * Every status an order and an order item can be in. The TypeScript types, the API's enums and the
 * database's CHECK constraints come from these lists (an integration test holds the migrated
 * constraints against them); what may follow what is in order-transitions.ts.
 */
export const ORDER_STATUSES = ['CREATED', 'APPROVED', 'HELD', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_ITEM_STATUSES = ['CREATED', 'ALLOCATED', 'BACKORDERED', 'SHIPPED', 'CANCELLED'] as const;
export type OrderItemStatus = (typeof ORDER_ITEM_STATUSES)[number];
