/**
 * The one lock order of the system. A transaction that locks several rows takes them in this
 * order, and within a table by ascending key, so that two transactions never wait on each other
 * in a cycle (no deadlock between cancel, fulfil, brokering and inventory changes):
 *
 *   1. unique keys, which the statement that inserts an order claims (its idempotency record,
 *      then the channel's external id) and waits on when another transaction holds them
 *   1a. a purchase_order or transfer_order row (a transaction locks one), then the promise locks
 *      of products (transaction-level advisory locks, by product id), which serialise the
 *      recomputing of pre-order promises
 *   2. sales_order rows, by id
 *   2a. order_return rows (a transaction locks one), right after their order's row
 *   3. order_item rows, by id
 *   4. inventory_item rows, by (facility_id, product_id)
 *   5. facility_order_day rows (facility capacity: brokering locks them after the stock it
 *      reserves), by (facility_id, day); a transaction locks only one day's rows
 *
 * Fulfilment keeps to it: a shipment is written only under its order's lock (2), so its row needs
 * none of its own; a picklist takes its items with SKIP LOCKED (it never waits on an item, so their
 * order does not matter) and locks no order; picklist_item rows come after the items they list
 * (the status writer deletes those of items that wait again), and completing a picklist locks its
 * picklist row, then its picklist_item rows, and nothing else.
 *
 * A multi-row UPDATE locks rows in scan order, which is not this order: lock with
 * `SELECT ... ORDER BY ... FOR UPDATE` first, or update one row at a time in this order.
 * UUIDs compare the same way in JavaScript (lowercase hex strings) and in PostgreSQL.
 */
export interface StockKey {
  facilityId: string;
  productId: string;
}

/** Sorts rows that touch inventory into the lock order of inventory_item (4 above). */
export function inStockLockOrder<T extends StockKey>(rows: T[]): T[] {
  return [...rows].sort((a, b) => compare(a.facilityId, b.facilityId) || compare(a.productId, b.productId));
}

/** Sorts rows of one day's facility capacity into the lock order of facility_order_day (5 above). */
export function inCapacityLockOrder<T extends { facilityId: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => compare(a.facilityId, b.facilityId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
