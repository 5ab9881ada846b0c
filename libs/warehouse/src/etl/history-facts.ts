import { decodeCopyField, ENCODED_NULL, EncodedField } from './copy-text';
import type { LocalDates } from './local-date';
import { STAR_TABLES } from './star-schema';

/**
 * A history fact's columns (STAR_TABLES) are its history id, its date key, what it records, and
 * last the entry's time twice: when it happened and its change time (an entry never changes).
 */
type FactColumns = readonly [string, string, ...string[], string, string];

/** What a history fact records: its columns between the date key and the two times. */
type Recorded<T extends FactColumns> = T extends readonly [string, string, ...infer R extends string[], string, string] ? R : never;

/** Recorded columns under the name the extract gives them. */
type Renamed<R extends readonly string[], N extends Record<string, string>> = { [K in keyof R]: R[K] extends keyof N ? N[R[K]] : R[K] };

/**
 * The columns a history extract emits, in order: the entry's id, what its fact records (in the
 * fact's order, some under the extract's name for them) and the entry's time `at`, the watermark.
 */
function historySourceColumns<T extends keyof typeof STAR_TABLES, const N extends Record<string, string> = Record<never, string>>(
  table: T,
  names = {} as N,
): readonly ['history_id', ...Renamed<Recorded<(typeof STAR_TABLES)[T]['columns']>, N>, 'at'] {
  const columns: readonly string[] = STAR_TABLES[table].columns;
  const recorded = columns.slice(2, -2).map((column) => (names as Record<string, string>)[column] ?? column);
  return ['history_id', ...recorded, 'at'] as never;
}

/** One ALLOCATED history entry with its item; its units are the item's quantity. */
export const ALLOCATION_SOURCE_COLUMNS = historySourceColumns('fact_allocation', { units: 'quantity' });

/** One REJECTED history entry with its item. */
export const REJECTION_SOURCE_COLUMNS = historySourceColumns('fact_rejection', { units: 'quantity' });

/** One HELD history entry of an order. */
export const HOLD_SOURCE_COLUMNS = historySourceColumns('fact_hold');

/** An order's first APPROVED or RELEASED entry, with the time of its CREATED entry. */
export const APPROVAL_SOURCE_COLUMNS = historySourceColumns('fact_approval');

/** One AUTO_CANCELLED history entry with its item. */
export const AUTO_CANCEL_SOURCE_COLUMNS = historySourceColumns('fact_auto_cancel', { units: 'quantity' });

/** One SHIPPED history entry with its item and the time of the item's latest allocation before it. */
export const SHIPMENT_SOURCE_COLUMNS = historySourceColumns('fact_shipment', { units: 'quantity' });

/** One CANCELLED entry (of the order or of an item) whose reason is `not collected`. */
export const NOT_COLLECTED_SOURCE_COLUMNS = historySourceColumns('fact_not_collected');

/** One RETURN_RECEIVED history entry with its item and its return's units and restock. */
export const RETURN_SOURCE_COLUMNS = historySourceColumns('fact_return');

/** A transform of one extract row into one fact row, both as encoded COPY text fields. */
export type FactTransform = (fields: EncodedField[], localDates: LocalDates) => EncodedField[];

/**
 * The transform of a history extract into its fact (STAR_TABLES column order): the day of the entry
 * in the warehouse time zone as the date key after the history id, the entry's time as both times,
 * every other column copied as it came. A column that is not `optional` and is missing fails the load
 * rather than loading a broken fact.
 */
function historyFact<C extends readonly string[]>(extract: string, columns: C, optional: readonly C[number][] = []): FactTransform {
  const field = (fields: EncodedField[], index: number): EncodedField => {
    const value = fields[index];
    if (!optional.includes(columns[index]) && (value === ENCODED_NULL || value === undefined)) {
      throw new Error(`${extract} extract: ${columns[index]} is missing in row ${fields[0]}`);
    }
    return value;
  };
  const last = columns.length - 1;
  return (fields, localDates) => {
    const at = field(fields, last);
    const [historyId, ...recorded] = columns.slice(0, last).map((_, index) => field(fields, index));
    return [historyId, String(localDates.dateKeyOf(decodeCopyField(at)!)), ...recorded, at, at];
  };
}

/** The routing group, routing and rule are null for an allocation made before routing named them. */
export const allocationFact = historyFact('allocation', ALLOCATION_SOURCE_COLUMNS, ['routing_group_id', 'routing_id', 'routing_rule_id']);

/** Its day, the facility that rejected the item, why, and the item's units. */
export const rejectionFact = historyFact('rejection', REJECTION_SOURCE_COLUMNS);

/** Its day, its order and the reason it was held for. */
export const holdFact = historyFact('hold', HOLD_SOURCE_COLUMNS);

/** Dated by the approval, with the order's creation time to measure the wait from. */
export const approvalFact = historyFact('approval', APPROVAL_SOURCE_COLUMNS);

/** Its day, its item and the item's units. */
export const autoCancelFact = historyFact('auto-cancel', AUTO_CANCEL_SOURCE_COLUMNS);

/** The allocation time is null when the item's history names no allocation: it has no time to shipment. */
export const shipmentFact = historyFact('shipment', SHIPMENT_SOURCE_COLUMNS, ['allocated_at']);

/** The item is null for the order's own entry, the facility when unknown. */
export const notCollectedFact = historyFact('not-collected', NOT_COLLECTED_SOURCE_COLUMNS, ['order_item_id', 'facility_id']);

/** The return and item, where it came back, why, its units and whether they were restocked. */
export const returnFact = historyFact('return', RETURN_SOURCE_COLUMNS);

/** Each history fact with its extract's columns and transform; its watermark is the entry's time, the extract's last column. */
export const HISTORY_FACTS = {
  fact_allocation: { columns: ALLOCATION_SOURCE_COLUMNS, transform: allocationFact },
  fact_rejection: { columns: REJECTION_SOURCE_COLUMNS, transform: rejectionFact },
  fact_hold: { columns: HOLD_SOURCE_COLUMNS, transform: holdFact },
  fact_approval: { columns: APPROVAL_SOURCE_COLUMNS, transform: approvalFact },
  fact_auto_cancel: { columns: AUTO_CANCEL_SOURCE_COLUMNS, transform: autoCancelFact },
  fact_shipment: { columns: SHIPMENT_SOURCE_COLUMNS, transform: shipmentFact },
  fact_not_collected: { columns: NOT_COLLECTED_SOURCE_COLUMNS, transform: notCollectedFact },
  fact_return: { columns: RETURN_SOURCE_COLUMNS, transform: returnFact },
} as const;

export type HistoryFactTable = keyof typeof HISTORY_FACTS;

/** The extract columns of one history fact. */
export type HistorySourceColumn<T extends HistoryFactTable> = (typeof HISTORY_FACTS)[T]['columns'][number];
