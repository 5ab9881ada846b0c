/**
 * The loaded tables of the star schema as the ETL sees them (the migrations create them): the
 * columns in COPY order and the key a merge upserts on. dim_date is derived from the loaded facts.
 */
export const STAR_TABLES = {
  dim_product: { key: ['product_id'], columns: ['product_id', 'sku', 'name', 'price', 'currency', 'source_updated_at'] },
  dim_facility: { key: ['facility_id'], columns: ['facility_id', 'code', 'name', 'type', 'source_updated_at'] },
  dim_routing_rule: {
    key: ['routing_rule_id'],
    columns: ['routing_rule_id', 'name', 'routing_id', 'routing_name', 'routing_group_id', 'routing_group_name', 'source_updated_at'],
  },
  fact_order_item: {
    key: ['order_item_id'],
    columns: [
      'order_item_id',
      'order_id',
      'order_date_key',
      'product_id',
      'facility_id',
      'status',
      'order_status',
      'sales_channel',
      'units',
      'unit_price',
      'revenue',
      'currency',
      'promise_date',
      'promised_purchase_order_id',
      'ordered_at',
      'source_updated_at',
    ],
  },
  fact_inventory_daily: {
    key: ['snapshot_date_key', 'facility_id', 'product_id'],
    columns: ['snapshot_date_key', 'facility_id', 'product_id', 'quantity_on_hand', 'quantity_reserved', 'source_updated_at'],
  },
  fact_allocation: {
    key: ['history_id'],
    columns: [
      'history_id',
      'allocation_date_key',
      'order_id',
      'order_item_id',
      'product_id',
      'facility_id',
      'routing_group_id',
      'routing_id',
      'routing_rule_id',
      'units',
      'allocated_at',
      'source_updated_at',
    ],
  },
  fact_rejection: {
    key: ['history_id'],
    columns: [
      'history_id',
      'rejection_date_key',
      'order_id',
      'order_item_id',
      'product_id',
      'facility_id',
      'reason',
      'units',
      'rejected_at',
      'source_updated_at',
    ],
  },
  fact_hold: {
    key: ['history_id'],
    columns: ['history_id', 'hold_date_key', 'order_id', 'reason', 'held_at', 'source_updated_at'],
  },
  fact_approval: {
    key: ['history_id'],
    columns: ['history_id', 'approval_date_key', 'order_id', 'created_at', 'approved_at', 'source_updated_at'],
  },
  fact_auto_cancel: {
    key: ['history_id'],
    columns: ['history_id', 'cancel_date_key', 'order_id', 'order_item_id', 'product_id', 'units', 'cancelled_at', 'source_updated_at'],
  },
  fact_shipment: {
    key: ['history_id'],
    columns: [
      'history_id',
      'ship_date_key',
      'order_id',
      'order_item_id',
      'product_id',
      'facility_id',
      'units',
      'allocated_at',
      'shipped_at',
      'source_updated_at',
    ],
  },
  fact_not_collected: {
    key: ['history_id'],
    columns: ['history_id', 'cancel_date_key', 'order_id', 'order_item_id', 'facility_id', 'cancelled_at', 'source_updated_at'],
  },
  fact_return: {
    key: ['history_id'],
    columns: [
      'history_id',
      'return_date_key',
      'return_id',
      'order_id',
      'order_item_id',
      'product_id',
      'facility_id',
      'reason',
      'units',
      'restocked',
      'received_at',
      'source_updated_at',
    ],
  },
  fact_receipt: {
    key: ['receipt_id', 'product_id'],
    columns: [
      'receipt_id',
      'product_id',
      'receipt_date_key',
      'facility_id',
      'purchase_order_id',
      'units',
      'expected_date',
      'lead_days',
      'received_at',
      'source_updated_at',
    ],
  },
} as const;

export type StagedTable = keyof typeof STAR_TABLES;

export const STAGED_TABLES = Object.keys(STAR_TABLES) as StagedTable[];

export type LoadedTable = StagedTable | 'dim_date';

export const LOADED_TABLES: LoadedTable[] = ['dim_date', ...STAGED_TABLES];

/** Rows each run inserted or changed, per table (a re-run of the same data changes none). */
export type RowsPerTable = Record<LoadedTable, number>;
