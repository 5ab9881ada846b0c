import {
  ALLOCATION_SOURCE_COLUMNS,
  ALLOCATION_WATERMARK_COLUMN,
  APPROVAL_SOURCE_COLUMNS,
  APPROVAL_WATERMARK_COLUMN,
  AUTO_CANCEL_SOURCE_COLUMNS,
  AUTO_CANCEL_WATERMARK_COLUMN,
  HOLD_SOURCE_COLUMNS,
  HOLD_WATERMARK_COLUMN,
  REJECTION_SOURCE_COLUMNS,
  REJECTION_WATERMARK_COLUMN,
} from './history-facts';
import { ORDER_ITEM_SOURCE_COLUMNS, ORDER_ITEM_WATERMARK_COLUMN } from './order-item-fact';
import type { StagedTable } from './star-schema';

/** A fixed-width UTC timestamp: parseable, and ordered as text the way it is as time. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExtractScope {
  /** Dimensions (and, for an incremental run, facts) changed after this instant; all when undefined. */
  changedAfter?: string;
  /**
   * Order items of orders placed in [from, to), and the history facts (allocations, rejections,
   * holds, approvals, auto-cancels) written in it, whatever their change time; an incremental run has none.
   */
  window?: { from: string; to: string };
  /**
   * Tables the warehouse holds no row of yet, taken whole whatever the watermark: the watermark is
   * that of the tables loaded so far, so a table a later migration added starts with all the
   * source has, not only what changed since.
   */
  wholeTables?: ReadonlySet<StagedTable>;
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

/** The history entries are rows of order_history h, with their item i (its quantity never changes). */
const ALLOCATION_SELECT: Record<(typeof ALLOCATION_SOURCE_COLUMNS)[number], string> = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  order_item_id: 'h.item_id',
  product_id: 'i.product_id',
  facility_id: 'h.facility_id',
  routing_group_id: 'h.routing_group_id',
  routing_id: 'h.routing_id',
  routing_rule_id: 'h.routing_rule_id',
  quantity: 'i.quantity',
  at: iso('h.at'),
};

const REJECTION_SELECT: Record<(typeof REJECTION_SOURCE_COLUMNS)[number], string> = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  order_item_id: 'h.item_id',
  product_id: 'i.product_id',
  facility_id: 'h.facility_id',
  reason: 'h.reason',
  quantity: 'i.quantity',
  at: iso('h.at'),
};

/** Order-level entries h of order_history. */
const HOLD_SELECT: Record<(typeof HOLD_SOURCE_COLUMNS)[number], string> = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  reason: 'h.reason',
  at: iso('h.at'),
};

/** The approval entry h, with the order's CREATED entry c. */
const APPROVAL_SELECT: Record<(typeof APPROVAL_SOURCE_COLUMNS)[number], string> = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  created_at: iso('c.at'),
  at: iso('h.at'),
};

const AUTO_CANCEL_SELECT: Record<(typeof AUTO_CANCEL_SOURCE_COLUMNS)[number], string> = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  order_item_id: 'h.item_id',
  product_id: 'i.product_id',
  quantity: 'i.quantity',
  at: iso('h.at'),
};

/** The entries that approve an order: APPROVED at creation, or RELEASED from a hold; only an order's first counts as its approval. */
const APPROVING = `('APPROVED', 'RELEASED')`;

/** The extract column that carries each staged table's change time (inventory is a full snapshot, not incremental). */
export const WATERMARK_COLUMN: Partial<Record<StagedTable, number>> = {
  dim_product: 5,
  dim_facility: 4,
  dim_routing_rule: 6,
  fact_order_item: ORDER_ITEM_WATERMARK_COLUMN,
  fact_allocation: ALLOCATION_WATERMARK_COLUMN,
  fact_rejection: REJECTION_WATERMARK_COLUMN,
  fact_hold: HOLD_WATERMARK_COLUMN,
  fact_approval: APPROVAL_WATERMARK_COLUMN,
  fact_auto_cancel: AUTO_CANCEL_WATERMARK_COLUMN,
};

/** The COPY ... TO STDOUT statement per staged table, for one run's scope. */
export function extractQueries(scope: ExtractScope, quote: QuoteLiteral): Record<StagedTable, string> {
  const changed = (table: StagedTable, column: string) =>
    scope.changedAfter === undefined || scope.wholeTables?.has(table) ? 'true' : `${column} > ${quote(scope.changedAfter)}::timestamptz`;
  const inWindow = (column: string, window: { from: string; to: string }) =>
    `${column} >= ${quote(window.from)}::timestamptz AND ${column} < ${quote(window.to)}::timestamptz`;
  const orderItemFilter = scope.window
    ? inWindow('o.created_at', scope.window)
    : `(${changed('fact_order_item', 'i.updated_at')} OR ${changed('fact_order_item', 'o.updated_at')})`;
  const historyFilter = (table: StagedTable) => (scope.window ? inWindow('h.at', scope.window) : changed(table, 'h.at'));
  const history = <C extends string>(table: StagedTable, columns: readonly C[], select: Record<C, string>, from: string, where: string) =>
    `SELECT ${columns.map((column) => select[column]).join(', ')} FROM ${from}
      WHERE ${where} AND ${historyFilter(table)}`;
  const itemEntries = 'order_history h JOIN order_item i ON i.id = h.item_id';
  const orderItemColumns = ORDER_ITEM_SOURCE_COLUMNS.map((column) => ORDER_ITEM_SELECT[column]).join(', ');
  const copy = (select: string) => `COPY (${select}) TO STDOUT`;
  return {
    dim_product: copy(`SELECT id, sku, name, price, currency, ${iso('updated_at')} FROM product WHERE ${changed('dim_product', 'updated_at')}`),
    dim_facility: copy(`SELECT id, code, name, type, ${iso('updated_at')} FROM facility WHERE ${changed('dim_facility', 'updated_at')}`),
    dim_routing_rule: copy(
      `SELECT r.id, r.name, ro.id, ro.name, g.id, g.name, ${iso('greatest(r.updated_at, ro.updated_at, g.updated_at)')}
         FROM routing_rule r JOIN routing ro ON ro.id = r.routing_id JOIN routing_group g ON g.id = ro.group_id
        WHERE ${['r', 'ro', 'g'].map((alias) => changed('dim_routing_rule', `${alias}.updated_at`)).join(' OR ')}`,
    ),
    fact_order_item: copy(`SELECT ${orderItemColumns} FROM order_item i JOIN sales_order o ON o.id = i.order_id WHERE ${orderItemFilter}`),
    fact_inventory_daily: copy(
      `SELECT ${Math.trunc(scope.snapshotDateKey)}, facility_id, product_id, quantity_on_hand, quantity_reserved, ${iso('updated_at')} FROM inventory_item`,
    ),
    fact_allocation: copy(history('fact_allocation', ALLOCATION_SOURCE_COLUMNS, ALLOCATION_SELECT, itemEntries, `h.type = 'ALLOCATED'`)),
    fact_rejection: copy(history('fact_rejection', REJECTION_SOURCE_COLUMNS, REJECTION_SELECT, itemEntries, `h.type = 'REJECTED'`)),
    fact_hold: copy(history('fact_hold', HOLD_SOURCE_COLUMNS, HOLD_SELECT, 'order_history h', `h.type = 'HELD'`)),
    fact_approval: copy(
      history(
        'fact_approval',
        APPROVAL_SOURCE_COLUMNS,
        APPROVAL_SELECT,
        `order_history h JOIN order_history c ON c.order_id = h.order_id AND c.type = 'CREATED'`,
        `h.type IN ${APPROVING} AND NOT EXISTS (SELECT FROM order_history e WHERE e.order_id = h.order_id AND e.type IN ${APPROVING} AND e.id < h.id)`,
      ),
    ),
    fact_auto_cancel: copy(history('fact_auto_cancel', AUTO_CANCEL_SOURCE_COLUMNS, AUTO_CANCEL_SELECT, itemEntries, `h.type = 'AUTO_CANCELLED'`)),
  };
}
