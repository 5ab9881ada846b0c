import { fromCents, toCents } from '@app/data';
import type { CopyField } from './copy-text';
import type { LocalDates } from './local-date';

/** The columns the order item extract emits, in order (see extract-queries.ts). */
export const ORDER_ITEM_SOURCE_COLUMNS = [
  'order_item_id',
  'order_id',
  'ordered_at',
  'product_id',
  'facility_id',
  'status',
  'order_status',
  'sales_channel',
  'quantity',
  'unit_price',
  'currency',
  'source_updated_at',
] as const;

type SourceColumn = (typeof ORDER_ITEM_SOURCE_COLUMNS)[number];

const at = Object.fromEntries(ORDER_ITEM_SOURCE_COLUMNS.map((column, index) => [column, index])) as Record<SourceColumn, number>;

export const ORDER_ITEM_WATERMARK_COLUMN = at.source_updated_at;

function required(fields: CopyField[], column: SourceColumn): string {
  const value = fields[at[column]];
  if (value === null || value === undefined) throw new Error(`order item extract: ${column} is missing in row ${fields[0]}`);
  return value;
}

/**
 * One source order item as one fact_order_item row (STAR_TABLES column order): the order's date in
 * the warehouse time zone as its date key, and the revenue of the line, exactly, in cents.
 */
export function orderItemFact(fields: CopyField[], localDates: LocalDates): CopyField[] {
  const orderedAt = required(fields, 'ordered_at');
  const units = required(fields, 'quantity');
  const unitPrice = required(fields, 'unit_price');
  return [
    required(fields, 'order_item_id'),
    required(fields, 'order_id'),
    String(localDates.dateKeyOf(orderedAt)),
    required(fields, 'product_id'),
    fields[at.facility_id],
    required(fields, 'status'),
    required(fields, 'order_status'),
    required(fields, 'sales_channel'),
    units,
    unitPrice,
    fromCents(toCents(unitPrice) * BigInt(units)),
    required(fields, 'currency'),
    orderedAt,
    required(fields, 'source_updated_at'),
  ];
}
