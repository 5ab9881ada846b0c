import { inStockLockOrder, StockKey } from '../database/lock-order';

/** What brokering may allocate of a product at a facility: its brokerable quantity (ATP above safety stock). */
export interface StockLevel extends StockKey {
  availableToPromise: number;
}

export interface StockReservation extends StockKey {
  quantity: number;
}

/** Whether every reservation still fits the brokerable quantity of its row, as the rows stand now (locked). */
export function reservationsFit(reservations: StockReservation[], stock: StockLevel[]): boolean {
  const available = new Map(stock.map((level) => [stockKey(level.facilityId, level.productId), level.availableToPromise]));
  return reservations.every((reservation) => reservation.quantity <= (available.get(stockKey(reservation.facilityId, reservation.productId)) ?? 0));
}

/** The total per (facility, product), in the lock order of inventory rows. */
export function totalReservations(allocations: StockReservation[]): StockReservation[] {
  const totals = new Map<string, StockReservation>();
  for (const { facilityId, productId, quantity } of allocations) {
    const key = stockKey(facilityId, productId);
    const total = totals.get(key) ?? { facilityId, productId, quantity: 0 };
    totals.set(key, { ...total, quantity: total.quantity + quantity });
  }
  return inStockLockOrder([...totals.values()]);
}

function stockKey(facilityId: string, productId: string): string {
  return JSON.stringify([facilityId, productId]);
}
