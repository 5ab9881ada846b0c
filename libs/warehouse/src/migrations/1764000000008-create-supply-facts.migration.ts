import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound supply. `fact_receipt`: every product of a purchase order receipt, keyed by the receipt
 * and product (a merge of the same receipt again changes nothing): its day in WAREHOUSE_TZ, the
 * facility that received it, the purchase order, the units, the order's expected date and the lead
 * days (the receipt's day minus the expected date; negative when early). The pre-orders: an order
 * item's promise (the date and the purchase order it is promised against, set while the item waits)
 * joins its fact, so the item's next change, which ends the promise with the wait, reaches it.
 * Items promised before this migration get their promise on their next change or a reload by window.
 */
export class CreateSupplyFacts1764000000008 implements MigrationInterface {
  name = 'CreateSupplyFacts1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact_receipt (
        receipt_id uuid NOT NULL,
        product_id uuid NOT NULL,
        receipt_date_key integer NOT NULL,
        facility_id uuid NOT NULL,
        purchase_order_id uuid NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        expected_date date NOT NULL,
        lead_days integer NOT NULL,
        received_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL,
        PRIMARY KEY (receipt_id, product_id)
      )`);
    // Both reports filter by a range of days and group by facility: index-only scans.
    await q.query(
      'CREATE INDEX fact_receipt_date ON fact_receipt (receipt_date_key, facility_id) INCLUDE (receipt_id, purchase_order_id, units, lead_days)',
    );

    await q.query('ALTER TABLE fact_order_item ADD COLUMN promise_date date, ADD COLUMN promised_purchase_order_id uuid');
    // The pre-orders report reads the few items promised now, not the whole table.
    await q.query(
      'CREATE INDEX fact_order_item_promised ON fact_order_item (product_id) INCLUDE (units, ordered_at, promise_date) WHERE promise_date IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX fact_order_item_promised');
    await q.query('ALTER TABLE fact_order_item DROP COLUMN promised_purchase_order_id, DROP COLUMN promise_date');
    await q.query('DROP TABLE fact_receipt');
  }
}
