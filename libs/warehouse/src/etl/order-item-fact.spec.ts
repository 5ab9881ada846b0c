import { decodeCopyField, encodeCopyField, EncodedField } from './copy-text';
import { LocalDates } from './local-date';
import { ORDER_ITEM_SOURCE_COLUMNS, orderItemFact } from './order-item-fact';
import { STAR_TABLES } from './star-schema';

function sourceRow(overrides: Partial<Record<(typeof ORDER_ITEM_SOURCE_COLUMNS)[number], string | null>> = {}): EncodedField[] {
  const row: Record<string, string | null> = {
    order_item_id: 'item-1',
    order_id: 'order-1',
    ordered_at: '2026-03-02T03:30:00.000000Z',
    product_id: 'product-1',
    facility_id: null,
    status: 'CREATED',
    order_status: 'CREATED',
    sales_channel: 'storefront',
    quantity: '3',
    unit_price: '19.99',
    currency: 'USD',
    promise_date: null,
    promised_purchase_order_id: null,
    source_updated_at: '2026-03-02T03:31:00.000000Z',
    ...overrides,
  };
  return ORDER_ITEM_SOURCE_COLUMNS.map((column) => encodeCopyField(row[column]));
}

const asRecord = (fields: EncodedField[]) =>
  Object.fromEntries(STAR_TABLES.fact_order_item.columns.map((column, index) => [column, decodeCopyField(fields[index])]));

describe('orderItemFact', () => {
  it('dates the line by its order in the warehouse time zone and prices it exactly', () => {
    expect(asRecord(orderItemFact(sourceRow(), new LocalDates('America/New_York')))).toEqual({
      order_item_id: 'item-1',
      order_id: 'order-1',
      order_date_key: '20260301',
      product_id: 'product-1',
      facility_id: null,
      status: 'CREATED',
      order_status: 'CREATED',
      sales_channel: 'storefront',
      units: '3',
      unit_price: '19.99',
      revenue: '59.97',
      currency: 'USD',
      promise_date: null,
      promised_purchase_order_id: null,
      ordered_at: '2026-03-02T03:30:00.000000Z',
      source_updated_at: '2026-03-02T03:31:00.000000Z',
    });
  });

  it('keeps the facility of an allocated line, and sums money beyond floating point precision', () => {
    const fact = asRecord(
      orderItemFact(sourceRow({ facility_id: 'facility-9', quantity: '2147483647', unit_price: '999999999999.99' }), new LocalDates('UTC')),
    );
    expect(fact.facility_id).toBe('facility-9');
    expect(fact.order_date_key).toBe('20260302');
    expect(fact.revenue).toBe('2147483646999978525163.53');
  });

  it('keeps the promise of a waiting line: its date and the purchase order it is promised against', () => {
    const fact = asRecord(
      orderItemFact(sourceRow({ status: 'BACKORDERED', promise_date: '2026-03-20', promised_purchase_order_id: 'po-1' }), new LocalDates('UTC')),
    );
    expect(fact).toEqual(expect.objectContaining({ status: 'BACKORDERED', promise_date: '2026-03-20', promised_purchase_order_id: 'po-1' }));
  });

  it('copies the columns it does not compute as they came, escapes included', () => {
    const fields = orderItemFact(sourceRow({ sales_channel: 'store\tfront\\eu\n' }), new LocalDates('UTC'));
    expect(fields[STAR_TABLES.fact_order_item.columns.indexOf('sales_channel')]).toBe('store\\tfront\\\\eu\\n');
    expect(asRecord(fields).sales_channel).toBe('store\tfront\\eu\n');
  });

  it('refuses a row without a required column rather than loading a broken fact', () => {
    expect(() => orderItemFact(sourceRow({ unit_price: null }), new LocalDates('UTC'))).toThrow(/unit_price/);
    expect(() => orderItemFact(sourceRow({ order_status: null }), new LocalDates('UTC'))).toThrow(/order_status/);
  });
});
