/** Why a facility rejects an item, as its staff say it (HotWax's rejection reasons). */
export const REJECTION_REASONS = ['NOT_IN_STOCK', 'MISMATCH', 'DAMAGED', 'WORN_DISPLAY', 'INACTIVE_STORE', 'NO_VARIANCE'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface RejectedStock {
  quantityOnHand: number;
  /** Reserved at the facility once the rejected item's own reservation is released. */
  reservedByOthers: number;
  /** The rejected item's quantity. */
  itemQuantity: number;
}

/**
 * How much a rejection lowers the facility's stock on hand (0 or negative): NOT_IN_STOCK sets it to
 * what others still reserve there (ATP 0), a mismatched, damaged or worn display unit takes the
 * item's quantity off, and an inactive store or no variance changes nothing. On hand never drops
 * below what others reserve: their reservations stay whole.
 */
export function onHandDeltaOfRejection(reason: RejectionReason, stock: RejectedStock): number {
  const floor = stock.reservedByOthers;
  switch (reason) {
    case 'NOT_IN_STOCK':
      return Math.min(0, floor - stock.quantityOnHand);
    case 'MISMATCH':
    case 'DAMAGED':
    case 'WORN_DISPLAY':
      return Math.min(0, Math.max(floor, stock.quantityOnHand - stock.itemQuantity) - stock.quantityOnHand);
    case 'INACTIVE_STORE':
    case 'NO_VARIANCE':
      return 0;
  }
}
