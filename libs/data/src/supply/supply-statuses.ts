/** OPEN takes receipts; RECEIVED (every line received in full) and CLOSED (closed by hand) take none. */
export const PURCHASE_ORDER_STATUSES = ['OPEN', 'RECEIVED', 'CLOSED'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

/** CREATED reserves its units at the source; SHIPPED has them in transit; RECEIVED and CANCELLED are final. */
export const TRANSFER_ORDER_STATUSES = ['CREATED', 'SHIPPED', 'RECEIVED', 'CANCELLED'] as const;
export type TransferOrderStatus = (typeof TRANSFER_ORDER_STATUSES)[number];
