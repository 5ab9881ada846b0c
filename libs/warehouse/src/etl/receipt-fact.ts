import { decodeCopyField, EncodedField } from './copy-text';
import { extractRow } from './extract-row';
import type { LocalDates } from './local-date';

/** The columns the receipt extract emits, in order (see extract-queries.ts): one product of one receipt. */
export const RECEIPT_SOURCE_COLUMNS = [
  'receipt_id',
  'product_id',
  'facility_id',
  'purchase_order_id',
  'units',
  'expected_date',
  'received_at',
] as const;

const { at, required } = extractRow('receipt', RECEIPT_SOURCE_COLUMNS);

/** A receipt never changes: the time it was received is its change time. */
export const RECEIPT_WATERMARK_COLUMN = at.received_at;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from the YYYY-MM-DD `expected` to the YYYY-MM-DD `received`: negative when received early. */
function daysBetween(expected: string, received: string): number {
  return Math.round((Date.parse(`${received}T00:00:00Z`) - Date.parse(`${expected}T00:00:00Z`)) / DAY_MS);
}

/**
 * One product of a receipt as one fact_receipt row (STAR_TABLES column order), both as encoded COPY
 * text fields: the receipt's day in the warehouse time zone as its date key, and the lead days from
 * the purchase order's expected date to that day; the receipt's time is also its change time.
 */
export function receiptFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const receivedAt = required(fields, 'received_at');
  const receivedOn = localDates.dateOf(decodeCopyField(receivedAt)!);
  const expected = required(fields, 'expected_date');
  return [
    required(fields, 'receipt_id'),
    required(fields, 'product_id'),
    String(localDates.dateKeyOf(decodeCopyField(receivedAt)!)),
    required(fields, 'facility_id'),
    required(fields, 'purchase_order_id'),
    required(fields, 'units'),
    expected,
    String(daysBetween(decodeCopyField(expected)!, receivedOn)),
    receivedAt,
    receivedAt,
  ];
}
