import { decodeCopyField, encodeCopyField, EncodedField } from './copy-text';
import {
  ALLOCATION_SOURCE_COLUMNS,
  allocationFact,
  APPROVAL_SOURCE_COLUMNS,
  approvalFact,
  AUTO_CANCEL_SOURCE_COLUMNS,
  autoCancelFact,
  HOLD_SOURCE_COLUMNS,
  holdFact,
  REJECTION_SOURCE_COLUMNS,
  rejectionFact,
} from './history-facts';
import { LocalDates } from './local-date';
import { STAR_TABLES } from './star-schema';

const AT = '2026-03-02T03:30:00.000000Z';

function sourceRow(columns: readonly string[], values: Record<string, string | null>): EncodedField[] {
  const row: Record<string, string | null> = {
    history_id: '41',
    order_id: 'order-1',
    order_item_id: 'item-1',
    product_id: 'product-1',
    facility_id: 'facility-1',
    quantity: '3',
    at: AT,
    ...values,
  };
  return columns.map((column) => encodeCopyField(row[column]));
}

const allocation = (values: Record<string, string | null> = {}) =>
  sourceRow(ALLOCATION_SOURCE_COLUMNS, { routing_group_id: 'group-1', routing_id: 'routing-1', routing_rule_id: 'rule-1', ...values });
const rejection = (values: Record<string, string | null> = {}) => sourceRow(REJECTION_SOURCE_COLUMNS, { reason: 'DAMAGED', ...values });

const asRecord = (table: keyof typeof STAR_TABLES, fields: EncodedField[]) =>
  Object.fromEntries(STAR_TABLES[table].columns.map((column, index) => [column, decodeCopyField(fields[index])]));

describe('allocationFact', () => {
  it('dates the allocation in the warehouse time zone and keeps the routing that made it', () => {
    expect(asRecord('fact_allocation', allocationFact(allocation(), new LocalDates('America/New_York')))).toEqual({
      history_id: '41',
      allocation_date_key: '20260301',
      order_id: 'order-1',
      order_item_id: 'item-1',
      product_id: 'product-1',
      facility_id: 'facility-1',
      routing_group_id: 'group-1',
      routing_id: 'routing-1',
      routing_rule_id: 'rule-1',
      units: '3',
      allocated_at: AT,
      source_updated_at: AT,
    });
  });

  it('loads an allocation made before routing named its rules, without a rule', () => {
    const fact = asRecord(
      'fact_allocation',
      allocationFact(allocation({ routing_group_id: null, routing_id: null, routing_rule_id: null }), new LocalDates('UTC')),
    );
    expect(fact).toEqual(expect.objectContaining({ allocation_date_key: '20260302', routing_group_id: null, routing_rule_id: null }));
  });

  it('refuses an allocation without a facility or a time rather than loading a broken fact', () => {
    expect(() => allocationFact(allocation({ facility_id: null }), new LocalDates('UTC'))).toThrow(
      /allocation extract: facility_id is missing in row 41/,
    );
    expect(() => allocationFact(allocation({ at: null }), new LocalDates('UTC'))).toThrow(/at is missing/);
  });
});

describe('rejectionFact', () => {
  it('dates the rejection in the warehouse time zone with its facility, reason and units', () => {
    expect(asRecord('fact_rejection', rejectionFact(rejection(), new LocalDates('America/New_York')))).toEqual({
      history_id: '41',
      rejection_date_key: '20260301',
      order_id: 'order-1',
      order_item_id: 'item-1',
      product_id: 'product-1',
      facility_id: 'facility-1',
      reason: 'DAMAGED',
      units: '3',
      rejected_at: AT,
      source_updated_at: AT,
    });
  });

  it('refuses a rejection without a reason', () => {
    expect(() => rejectionFact(rejection({ reason: null }), new LocalDates('UTC'))).toThrow(/rejection extract: reason is missing/);
  });
});

describe('holdFact', () => {
  it('dates the hold in the warehouse time zone with its order and reason', () => {
    const row = sourceRow(HOLD_SOURCE_COLUMNS, { reason: 'AWAITING_PAYMENT' });
    expect(asRecord('fact_hold', holdFact(row, new LocalDates('America/New_York')))).toEqual({
      history_id: '41',
      hold_date_key: '20260301',
      order_id: 'order-1',
      reason: 'AWAITING_PAYMENT',
      held_at: AT,
      source_updated_at: AT,
    });
  });

  it('refuses a hold without a reason', () => {
    expect(() => holdFact(sourceRow(HOLD_SOURCE_COLUMNS, { reason: null }), new LocalDates('UTC'))).toThrow(
      /hold extract: reason is missing in row 41/,
    );
  });
});

describe('approvalFact', () => {
  it('dates the approval (not the creation) in the warehouse time zone, and keeps both times', () => {
    const created = '2026-03-01T20:00:00.000000Z';
    const row = sourceRow(APPROVAL_SOURCE_COLUMNS, { created_at: created });
    expect(asRecord('fact_approval', approvalFact(row, new LocalDates('UTC')))).toEqual({
      history_id: '41',
      approval_date_key: '20260302',
      order_id: 'order-1',
      created_at: created,
      approved_at: AT,
      source_updated_at: AT,
    });
  });

  it('refuses an approval of an order without a creation time', () => {
    expect(() => approvalFact(sourceRow(APPROVAL_SOURCE_COLUMNS, { created_at: null }), new LocalDates('UTC'))).toThrow(/created_at is missing/);
  });
});

describe('autoCancelFact', () => {
  it('dates the cancel in the warehouse time zone with its item and units', () => {
    expect(asRecord('fact_auto_cancel', autoCancelFact(sourceRow(AUTO_CANCEL_SOURCE_COLUMNS, {}), new LocalDates('America/New_York')))).toEqual({
      history_id: '41',
      cancel_date_key: '20260301',
      order_id: 'order-1',
      order_item_id: 'item-1',
      product_id: 'product-1',
      units: '3',
      cancelled_at: AT,
      source_updated_at: AT,
    });
  });
});
