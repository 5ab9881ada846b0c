import { fromCents, toCents } from '@app/platform';
import { decodeCopyField, EncodedField } from './copy-text';
import { extractRow } from './extract-row';
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
  'promise_date',
  'promised_purchase_order_id',
  'source_updated_at',
] as const;

type SourceColumn = (typeof ORDER_ITEM_SOURCE_COLUMNS)[number];

const { at, required } = extractRow('order item', ORDER_ITEM_SOURCE_COLUMNS);

export const ORDER_ITEM_WATERMARK_COLUMN = at.source_updated_at;

/** A column the transform reads, as its value. */
const requiredValue = (fields: EncodedField[], column: SourceColumn): string => decodeCopyField(required(fields, column))!;

/**
 * One source order item as one fact_order_item row (STAR_TABLES column order), both as encoded COPY
 * text fields: the order's date in the warehouse time zone as its date key, and the revenue of the
 * line, exactly, in cents; every other column is copied as it came (the promise is null unless the
 * item waits promised against a purchase order). The computed fields are digits (and a dot), which
 * COPY text writes as they are.
 */
export function orderItemFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const units = requiredValue(fields, 'quantity');
  return [
    required(fields, 'order_item_id'),
    required(fields, 'order_id'),
    String(localDates.dateKeyOf(requiredValue(fields, 'ordered_at'))),
    required(fields, 'product_id'),
    fields[at.facility_id],
    required(fields, 'status'),
    required(fields, 'order_status'),
    required(fields, 'sales_channel'),
    units,
    required(fields, 'unit_price'),
    fromCents(toCents(requiredValue(fields, 'unit_price')) * BigInt(units)),
    required(fields, 'currency'),
    fields[at.promise_date],
    fields[at.promised_purchase_order_id],
    required(fields, 'ordered_at'),
    required(fields, 'source_updated_at'),
  ];
}
