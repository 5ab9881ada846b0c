import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every item of a received return, from its RETURN_RECEIVED history entry (the key: a merge of the
 * same entries again changes nothing): the day in WAREHOUSE_TZ, the facility that took it back,
 * the product, the customer's reason, the units and whether they went back into stock.
 */
export class CreateReturnFacts1764000000006 implements MigrationInterface {
  name = 'CreateReturnFacts1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact_return (
        history_id bigint PRIMARY KEY,
        return_date_key integer NOT NULL,
        return_id uuid NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid NOT NULL,
        product_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        reason text NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        restocked boolean NOT NULL,
        received_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    // The report filters by a range of days and counts returns and units per reason: an index-only scan.
    await q.query('CREATE INDEX fact_return_date ON fact_return (return_date_key) INCLUDE (reason, return_id, units)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fact_return');
  }
}
