import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What fulfilment did, from the order history, each fact keyed by its history entry (a merge of
 * the same entries again changes nothing): every item shipped, at its facility, with the time of
 * its latest allocation before the shipment (null when its history names none), so a shipment is
 * the items of one order shipped at one facility at one instant; and every CANCELLED entry of an
 * order or item with the reason `not collected` (a pickup nobody collected), at the item's facility
 * or else the order's pickup facility. Dates are local to WAREHOUSE_TZ, as yyyymmdd keys.
 */
export class CreateFulfilmentFacts1764000000007 implements MigrationInterface {
  name = 'CreateFulfilmentFacts1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact_shipment (
        history_id bigint PRIMARY KEY,
        ship_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid NOT NULL,
        product_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        allocated_at timestamptz,
        shipped_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    // Both reports filter by a range of days and group by facility: index-only scans.
    await q.query(
      'CREATE INDEX fact_shipment_date ON fact_shipment (ship_date_key, facility_id) INCLUDE (order_id, units, allocated_at, shipped_at)',
    );

    await q.query(`
      CREATE TABLE fact_not_collected (
        history_id bigint PRIMARY KEY,
        cancel_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid,
        facility_id uuid,
        cancelled_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX fact_not_collected_date ON fact_not_collected (cancel_date_key) INCLUDE (facility_id, order_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fact_not_collected', 'fact_shipment']) await q.query(`DROP TABLE ${table}`);
  }
}
