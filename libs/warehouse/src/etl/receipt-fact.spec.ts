import { decodeCopyField, encodeCopyField, EncodedField } from './copy-text';
import { LocalDates } from './local-date';
import { RECEIPT_SOURCE_COLUMNS, receiptFact } from './receipt-fact';
import { STAR_TABLES } from './star-schema';

function sourceRow(overrides: Partial<Record<(typeof RECEIPT_SOURCE_COLUMNS)[number], string | null>> = {}): EncodedField[] {
  const row: Record<string, string | null> = {
    receipt_id: 'receipt-1',
    product_id: 'product-1',
    facility_id: 'facility-1',
    purchase_order_id: 'po-1',
    units: '30',
    expected_date: '2026-03-01',
    received_at: '2026-03-02T03:30:00.000000Z',
    ...overrides,
  };
  return RECEIPT_SOURCE_COLUMNS.map((column) => encodeCopyField(row[column]));
}

const asRecord = (fields: EncodedField[]) =>
  Object.fromEntries(STAR_TABLES.fact_receipt.columns.map((column, index) => [column, decodeCopyField(fields[index])]));

describe('receiptFact', () => {
  it('dates the receipt in the warehouse time zone and measures the lead days from the expected date to that day', () => {
    // 03:30 UTC on March 2nd is still March 1st in New York: received on the expected day.
    expect(asRecord(receiptFact(sourceRow(), new LocalDates('America/New_York')))).toEqual({
      receipt_id: 'receipt-1',
      product_id: 'product-1',
      receipt_date_key: '20260301',
      facility_id: 'facility-1',
      purchase_order_id: 'po-1',
      units: '30',
      expected_date: '2026-03-01',
      lead_days: '0',
      received_at: '2026-03-02T03:30:00.000000Z',
      source_updated_at: '2026-03-02T03:30:00.000000Z',
    });
    expect(asRecord(receiptFact(sourceRow(), new LocalDates('UTC'))).lead_days).toBe('1');
  });

  it('counts an early receipt negative, across months and a daylight saving change', () => {
    const early = asRecord(
      receiptFact(sourceRow({ expected_date: '2026-04-02', received_at: '2026-03-07T15:00:00.000000Z' }), new LocalDates('America/New_York')),
    );
    expect(early.lead_days).toBe('-26');
    const late = asRecord(receiptFact(sourceRow({ expected_date: '2025-12-30', received_at: '2026-01-02T12:00:00.000000Z' }), new LocalDates('UTC')));
    expect(late.lead_days).toBe('3');
  });

  it('refuses a row without a required column rather than loading a broken fact', () => {
    expect(() => receiptFact(sourceRow({ expected_date: null }), new LocalDates('UTC'))).toThrow(/expected_date/);
    expect(() => receiptFact(sourceRow({ facility_id: null }), new LocalDates('UTC'))).toThrow(/facility_id/);
  });
});
