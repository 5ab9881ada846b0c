import { decodeCopyField, ENCODED_NULL, EncodedField } from './copy-text';
import type { LocalDates } from './local-date';

/** The columns the allocation extract emits, in order (see extract-queries.ts): one ALLOCATED history entry with its item. */
export const ALLOCATION_SOURCE_COLUMNS = [
  'history_id',
  'order_id',
  'order_item_id',
  'product_id',
  'facility_id',
  'routing_group_id',
  'routing_id',
  'routing_rule_id',
  'quantity',
  'at',
] as const;

/** The columns the rejection extract emits, in order: one REJECTED history entry with its item. */
export const REJECTION_SOURCE_COLUMNS = ['history_id', 'order_id', 'order_item_id', 'product_id', 'facility_id', 'reason', 'quantity', 'at'] as const;

/** The columns the hold extract emits, in order: one HELD history entry of an order. */
export const HOLD_SOURCE_COLUMNS = ['history_id', 'order_id', 'reason', 'at'] as const;

/** The columns the approval extract emits, in order: an order's first APPROVED or RELEASED entry, with the time of its CREATED entry. */
export const APPROVAL_SOURCE_COLUMNS = ['history_id', 'order_id', 'created_at', 'at'] as const;

/** The columns the auto-cancel extract emits, in order: one AUTO_CANCELLED history entry with its item. */
export const AUTO_CANCEL_SOURCE_COLUMNS = ['history_id', 'order_id', 'order_item_id', 'product_id', 'quantity', 'at'] as const;

type Columns = readonly string[];

const indexOf = <C extends Columns>(columns: C) => Object.fromEntries(columns.map((column, index) => [column, index])) as Record<C[number], number>;

const allocation = indexOf(ALLOCATION_SOURCE_COLUMNS);
const rejection = indexOf(REJECTION_SOURCE_COLUMNS);
const hold = indexOf(HOLD_SOURCE_COLUMNS);
const approval = indexOf(APPROVAL_SOURCE_COLUMNS);
const autoCancel = indexOf(AUTO_CANCEL_SOURCE_COLUMNS);

/** The history entry's time: it never changes, so it is the fact's change time too (the watermark). */
export const ALLOCATION_WATERMARK_COLUMN = allocation.at;
export const REJECTION_WATERMARK_COLUMN = rejection.at;
export const HOLD_WATERMARK_COLUMN = hold.at;
export const APPROVAL_WATERMARK_COLUMN = approval.at;
export const AUTO_CANCEL_WATERMARK_COLUMN = autoCancel.at;

/** A column the fact cannot do without, as it came (encoded). */
function required(extract: string, fields: EncodedField[], index: number, column: string): EncodedField {
  const value = fields[index];
  if (value === ENCODED_NULL || value === undefined) throw new Error(`${extract} extract: ${column} is missing in row ${fields[0]}`);
  return value;
}

/**
 * One ALLOCATED history entry as one fact_allocation row (STAR_TABLES column order), both as
 * encoded COPY text fields: the day of the allocation in the warehouse time zone as its date key,
 * the item's quantity as its units; the routing group, routing and rule are null for an allocation
 * made before routing named them. Every other column is copied as it came.
 */
export function allocationFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const need = (column: keyof typeof allocation) => required('allocation', fields, allocation[column], column);
  const at = need('at');
  return [
    need('history_id'),
    String(localDates.dateKeyOf(decodeCopyField(at)!)),
    need('order_id'),
    need('order_item_id'),
    need('product_id'),
    need('facility_id'),
    fields[allocation.routing_group_id],
    fields[allocation.routing_id],
    fields[allocation.routing_rule_id],
    need('quantity'),
    at,
    at,
  ];
}

/** One REJECTED history entry as one fact_rejection row, the same way: its day, the facility that rejected the item, why, and the item's units. */
export function rejectionFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const need = (column: keyof typeof rejection) => required('rejection', fields, rejection[column], column);
  const at = need('at');
  return [
    need('history_id'),
    String(localDates.dateKeyOf(decodeCopyField(at)!)),
    need('order_id'),
    need('order_item_id'),
    need('product_id'),
    need('facility_id'),
    need('reason'),
    need('quantity'),
    at,
    at,
  ];
}

/** One HELD history entry as one fact_hold row: its day, its order and the reason it was held for. */
export function holdFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const need = (column: keyof typeof hold) => required('hold', fields, hold[column], column);
  const at = need('at');
  return [need('history_id'), String(localDates.dateKeyOf(decodeCopyField(at)!)), need('order_id'), need('reason'), at, at];
}

/** An order's approval entry as one fact_approval row: dated by the approval, with the order's creation time to measure the wait from. */
export function approvalFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const need = (column: keyof typeof approval) => required('approval', fields, approval[column], column);
  const at = need('at');
  return [need('history_id'), String(localDates.dateKeyOf(decodeCopyField(at)!)), need('order_id'), need('created_at'), at, at];
}

/** One AUTO_CANCELLED history entry as one fact_auto_cancel row: its day, its item and the item's units. */
export function autoCancelFact(fields: EncodedField[], localDates: LocalDates): EncodedField[] {
  const need = (column: keyof typeof autoCancel) => required('auto-cancel', fields, autoCancel[column], column);
  const at = need('at');
  return [
    need('history_id'),
    String(localDates.dateKeyOf(decodeCopyField(at)!)),
    need('order_id'),
    need('order_item_id'),
    need('product_id'),
    need('quantity'),
    at,
    at,
  ];
}
