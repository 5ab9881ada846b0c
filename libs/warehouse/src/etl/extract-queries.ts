import { HISTORY_FACTS, HistoryFactTable, HistorySourceColumn } from './history-facts';
import { ORDER_ITEM_SOURCE_COLUMNS, ORDER_ITEM_WATERMARK_COLUMN } from './order-item-fact';
import { RECEIPT_SOURCE_COLUMNS, RECEIPT_WATERMARK_COLUMN } from './receipt-fact';
import type { StagedTable } from './star-schema';

/** A fixed-width UTC timestamp: parseable, and ordered as text the way it is as time. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExtractScope {
  /** Dimensions (and, for an incremental run, facts) changed after this instant; all when undefined. */
  changedAfter?: string;
  /**
   * Order items of orders placed in [from, to), the history facts (allocations, rejections,
   * holds, approvals, auto-cancels, shipments, pickups not collected, received returns) written in
   * it and the purchase order receipts received in it, whatever their change time; an incremental run has none.
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
  promise_date: `to_char(i.promise_date, 'YYYY-MM-DD')`,
  promised_purchase_order_id: 'i.promised_purchase_order_id',
  source_updated_at: iso('greatest(i.updated_at, o.updated_at)'),
};

/** The columns most history extracts share: the entry h of order_history, with its item i (whose quantity never changes). */
const ENTRY_SELECT = {
  history_id: 'h.id',
  order_id: 'h.order_id',
  order_item_id: 'h.item_id',
  product_id: 'i.product_id',
  facility_id: 'h.facility_id',
  reason: 'h.reason',
  quantity: 'i.quantity',
  at: iso('h.at'),
};

/** A history extract's own columns, and any shared column it reads otherwise. */
type HistorySelect<T extends HistoryFactTable> = Omit<Record<HistorySourceColumn<T>, string>, keyof typeof ENTRY_SELECT> &
  Partial<Record<HistorySourceColumn<T>, string>>;

/** One history extract: its columns, the entries it reads (`h`, and what they join) and which of them it takes. */
interface HistoryExtract<T extends HistoryFactTable> {
  select: HistorySelect<T>;
  from: string;
  where: string;
}

/** The reason the history gives a pickup cancelled because nobody collected it. */
const NOT_COLLECTED_REASON = 'not collected';

/** The entries that approve an order: APPROVED at creation, or RELEASED from a hold; only an order's first counts as its approval. */
const APPROVING = `('APPROVED', 'RELEASED')`;

const ITEM_ENTRIES = 'order_history h JOIN order_item i ON i.id = h.item_id';

/** The extract of each history fact. */
function historyExtracts(quote: QuoteLiteral): { [T in HistoryFactTable]: HistoryExtract<T> } {
  return {
    fact_allocation: {
      select: { routing_group_id: 'h.routing_group_id', routing_id: 'h.routing_id', routing_rule_id: 'h.routing_rule_id' },
      from: ITEM_ENTRIES,
      where: `h.type = 'ALLOCATED'`,
    },
    fact_rejection: { select: {}, from: ITEM_ENTRIES, where: `h.type = 'REJECTED'` },
    /** Order-level entries. */
    fact_hold: { select: {}, from: 'order_history h', where: `h.type = 'HELD'` },
    /** The approval entry h, with the order's CREATED entry c. */
    fact_approval: {
      select: { created_at: iso('c.at') },
      from: `order_history h JOIN order_history c ON c.order_id = h.order_id AND c.type = 'CREATED'`,
      where: `h.type IN ${APPROVING} AND NOT EXISTS (SELECT FROM order_history e WHERE e.order_id = h.order_id AND e.type IN ${APPROVING} AND e.id < h.id)`,
    },
    fact_auto_cancel: { select: {}, from: ITEM_ENTRIES, where: `h.type = 'AUTO_CANCELLED'` },
    /** The SHIPPED entry at the item's facility (which the entry names), with the item's latest ALLOCATED entry before it. */
    fact_shipment: {
      select: {
        allocated_at: iso(
          `(SELECT max(a.at) FROM order_history a WHERE a.order_id = h.order_id AND a.item_id = h.item_id AND a.type = 'ALLOCATED' AND a.id < h.id)`,
        ),
      },
      from: ITEM_ENTRIES,
      where: `h.type = 'SHIPPED'`,
    },
    /** A CANCELLED entry of order o: an item's names the item's facility, the order's own falls back on the pickup facility. */
    fact_not_collected: {
      select: { facility_id: 'COALESCE(h.facility_id, o.pickup_facility_id)' },
      from: 'order_history h JOIN sales_order o ON o.id = h.order_id',
      where: `h.type = 'CANCELLED' AND h.reason = ${quote(NOT_COLLECTED_REASON)}`,
    },
    /** The RETURN_RECEIVED entry with its item, the return's line ri of that item and the return r. */
    fact_return: {
      select: { return_id: 'h.return_id', units: 'ri.quantity', restocked: 'r.restocked' },
      from: `${ITEM_ENTRIES} JOIN order_return r ON r.id = h.return_id JOIN order_return_item ri ON ri.return_id = h.return_id AND ri.item_id = h.item_id`,
      where: `h.type = 'RETURN_RECEIVED'`,
    },
  };
}

const HISTORY_TABLES = Object.keys(HISTORY_FACTS) as HistoryFactTable[];

/** Each product r of a receipt ri, with the purchase order po it was received against (whose expected date it is measured by). */
const RECEIPT_SELECT: Record<(typeof RECEIPT_SOURCE_COLUMNS)[number], string> = {
  receipt_id: 'r.id',
  product_id: 'ri.product_id',
  facility_id: 'r.facility_id',
  purchase_order_id: 'r.purchase_order_id',
  units: 'ri.quantity',
  expected_date: `to_char(po.expected_date, 'YYYY-MM-DD')`,
  received_at: iso('r.received_at'),
};

/** The extract column that carries each staged table's change time (inventory is a full snapshot, not incremental). */
export const WATERMARK_COLUMN: Partial<Record<StagedTable, number>> = {
  dim_product: 5,
  dim_facility: 4,
  dim_routing_rule: 6,
  fact_order_item: ORDER_ITEM_WATERMARK_COLUMN,
  fact_receipt: RECEIPT_WATERMARK_COLUMN,
  ...Object.fromEntries(HISTORY_TABLES.map((table) => [table, HISTORY_FACTS[table].columns.length - 1])),
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
  const extracts = historyExtracts(quote);
  const history = (table: HistoryFactTable, { select, from, where }: { select: Partial<Record<string, string>>; from: string; where: string }) => {
    const columns: readonly string[] = HISTORY_FACTS[table].columns;
    const expressions = columns.map((column) => select[column] ?? ENTRY_SELECT[column as keyof typeof ENTRY_SELECT]);
    return `SELECT ${expressions.join(', ')} FROM ${from}
      WHERE ${where} AND ${historyFilter(table)}`;
  };
  const orderItemColumns = ORDER_ITEM_SOURCE_COLUMNS.map((column) => ORDER_ITEM_SELECT[column]).join(', ');
  const receiptColumns = RECEIPT_SOURCE_COLUMNS.map((column) => RECEIPT_SELECT[column]).join(', ');
  const receiptFilter = scope.window ? inWindow('r.received_at', scope.window) : changed('fact_receipt', 'r.received_at');
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
    fact_receipt: copy(
      `SELECT ${receiptColumns}
         FROM purchase_order_receipt r JOIN purchase_order_receipt_item ri ON ri.receipt_id = r.id JOIN purchase_order po ON po.id = r.purchase_order_id
        WHERE ${receiptFilter}`,
    ),
    ...(Object.fromEntries(HISTORY_TABLES.map((table) => [table, copy(history(table, extracts[table]))])) as Record<HistoryFactTable, string>),
  };
}
