import { ORDER_ITEM_SOURCE_COLUMNS, ORDER_ITEM_WATERMARK_COLUMN } from './order-item-fact';
import type { StagedTable } from './star-schema';

/** A fixed-width UTC timestamp: parseable, and ordered as text the way it is as time. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExtractScope {
  /** Dimensions (and, for an incremental run, order items) changed after this instant; all when undefined. */
  changedAfter?: string;
  /** Order items of orders placed in [from, to), whatever their change time; an incremental run has none. */
  window?: { from: string; to: string };
  /** The key of the day the inventory snapshot is filed under. */
  snapshotDateKey: number;
}

/** Quotes a value as an SQL literal (COPY takes no bind parameters). */
export type QuoteLiteral = (value: string) => string;

const ORDER_ITEM_SELECT: Record<(typeof ORDER_ITEM_SOURCE_COLUMNS)[number], string> = {
  order_item_id: 'i.id',
  order_id: 'i.order_id',
  ordered_at: iso('o.created_at'),
  product_id: 'i.product_id',
  facility_id: 'i.facility_id',
  status: 'i.status',
  order_status: 'o.status',
  sales_channel: 'o.sales_channel',
  quantity: 'i.quantity',
  unit_price: 'i.unit_price',
  currency: 'o.currency',
  source_updated_at: iso('greatest(i.updated_at, o.updated_at)'),
};

/** The extract column that carries each staged table's change time (inventory is a full snapshot, not incremental). */
export const WATERMARK_COLUMN: Partial<Record<StagedTable, number>> = {
  dim_product: 5,
  dim_facility: 4,
  fact_order_item: ORDER_ITEM_WATERMARK_COLUMN,
};

/** The COPY ... TO STDOUT statement per staged table, for one run's scope. */
export function extractQueries(scope: ExtractScope, quote: QuoteLiteral): Record<StagedTable, string> {
  const changed = (column: string) => (scope.changedAfter === undefined ? 'true' : `${column} > ${quote(scope.changedAfter)}::timestamptz`);
  const orderItemFilter = scope.window
    ? `o.created_at >= ${quote(scope.window.from)}::timestamptz AND o.created_at < ${quote(scope.window.to)}::timestamptz`
    : `(${changed('i.updated_at')} OR ${changed('o.updated_at')})`;
  const orderItemColumns = ORDER_ITEM_SOURCE_COLUMNS.map((column) => ORDER_ITEM_SELECT[column]).join(', ');
  const copy = (select: string) => `COPY (${select}) TO STDOUT`;
  return {
    dim_product: copy(`SELECT id, sku, name, price, currency, ${iso('updated_at')} FROM product WHERE ${changed('updated_at')}`),
    dim_facility: copy(`SELECT id, code, name, type, ${iso('updated_at')} FROM facility WHERE ${changed('updated_at')}`),
    fact_order_item: copy(`SELECT ${orderItemColumns} FROM order_item i JOIN sales_order o ON o.id = i.order_id WHERE ${orderItemFilter}`),
    fact_inventory_daily: copy(
      `SELECT ${Math.trunc(scope.snapshotDateKey)}, facility_id, product_id, quantity_on_hand, quantity_reserved, ${iso('updated_at')} FROM inventory_item`,
    ),
  };
}
