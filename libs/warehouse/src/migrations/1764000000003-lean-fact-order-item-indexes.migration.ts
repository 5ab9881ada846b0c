import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * fact_order_item keeps one secondary index, the one every report reads. All three reports filter
 * by a range of order dates first; (product_id, order_date_key) and (facility_id, order_date_key)
 * served none of them (the plans read fact_order_item_date), yet each cost the load a third of the
 * merge: an index is updated row by row for every fact inserted. product_id joins the covering
 * columns, so the top products report is an index-only scan too.
 */
export class LeanFactOrderItemIndexes1764000000003 implements MigrationInterface {
  name = 'LeanFactOrderItemIndexes1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE INDEX fact_order_item_date_covering ON fact_order_item (order_date_key) INCLUDE (order_id, status, units, revenue, facility_id, product_id)',
    );
    await q.query('DROP INDEX fact_order_item_date');
    await q.query('ALTER INDEX fact_order_item_date_covering RENAME TO fact_order_item_date');
    await q.query('DROP INDEX fact_order_item_product_date');
    await q.query('DROP INDEX fact_order_item_facility_date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX fact_order_item_facility_date ON fact_order_item (facility_id, order_date_key) WHERE facility_id IS NOT NULL');
    await q.query('CREATE INDEX fact_order_item_product_date ON fact_order_item (product_id, order_date_key)');
    await q.query('DROP INDEX fact_order_item_date');
    await q.query('CREATE INDEX fact_order_item_date ON fact_order_item (order_date_key) INCLUDE (order_id, status, units, revenue, facility_id)');
  }
}
