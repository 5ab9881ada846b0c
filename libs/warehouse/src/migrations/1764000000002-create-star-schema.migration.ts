import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The star schema the ETL loads and the reports read. Facts are keyed by their source ids, so a
 * merge of the same rows again changes nothing. No foreign keys from facts to dimensions: the ETL
 * loads the dimensions in the same transaction as the facts, and checking every fact row against
 * them would slow the bulk merge for no gain. Dates are local to WAREHOUSE_TZ, as yyyymmdd keys.
 */
export class CreateStarSchema1764000000002 implements MigrationInterface {
  name = 'CreateStarSchema1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dim_date (
        date_key integer PRIMARY KEY CHECK (date_key BETWEEN 10000101 AND 99991231),
        date date NOT NULL UNIQUE,
        year smallint NOT NULL,
        quarter smallint NOT NULL,
        month smallint NOT NULL,
        day smallint NOT NULL,
        iso_week smallint NOT NULL,
        iso_day_of_week smallint NOT NULL
      )`);

    await q.query(`
      CREATE TABLE dim_product (
        product_id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        price numeric(14, 2) NOT NULL,
        currency char(3) NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE dim_facility (
        facility_id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE fact_order_item (
        order_item_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        order_date_key integer NOT NULL,
        product_id uuid NOT NULL,
        facility_id uuid,
        status text NOT NULL,
        order_status text NOT NULL,
        sales_channel text NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        unit_price numeric(14, 2) NOT NULL,
        revenue numeric(24, 2) NOT NULL,
        currency char(3) NOT NULL,
        ordered_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    // The reports filter by a date range, then group by day, product or facility.
    await q.query('CREATE INDEX fact_order_item_date ON fact_order_item (order_date_key) INCLUDE (order_id, status, units, revenue, facility_id)');
    await q.query('CREATE INDEX fact_order_item_product_date ON fact_order_item (product_id, order_date_key)');
    await q.query('CREATE INDEX fact_order_item_facility_date ON fact_order_item (facility_id, order_date_key) WHERE facility_id IS NOT NULL');

    await q.query(`
      CREATE TABLE fact_inventory_daily (
        snapshot_date_key integer NOT NULL,
        facility_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity_on_hand integer NOT NULL,
        quantity_reserved integer NOT NULL,
        source_updated_at timestamptz NOT NULL,
        PRIMARY KEY (snapshot_date_key, facility_id, product_id)
      )`);
    await q.query('CREATE INDEX fact_inventory_daily_product ON fact_inventory_daily (product_id, snapshot_date_key)');

    // A run without a window is incremental (everything changed since the watermark).
    await q.query(`ALTER TABLE etl_run
      ALTER COLUMN window_from DROP NOT NULL,
      ALTER COLUMN window_to DROP NOT NULL,
      ADD CONSTRAINT etl_run_window_complete CHECK ((window_from IS NULL) = (window_to IS NULL)),
      ADD COLUMN source text CHECK (source IN ('replica', 'primary')),
      ADD COLUMN rows_per_table jsonb,
      ADD COLUMN watermark timestamptz`);
    await q.query('CREATE INDEX etl_run_created_at ON etl_run (created_at DESC, id DESC)');
    await q.query(`CREATE INDEX etl_run_succeeded ON etl_run (finished_at DESC) WHERE status = 'succeeded'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX etl_run_succeeded');
    await q.query('DROP INDEX etl_run_created_at');
    await q.query(`DELETE FROM etl_run WHERE window_from IS NULL`);
    await q.query(`ALTER TABLE etl_run
      DROP COLUMN watermark,
      DROP COLUMN rows_per_table,
      DROP COLUMN source,
      DROP CONSTRAINT etl_run_window_complete,
      ALTER COLUMN window_from SET NOT NULL,
      ALTER COLUMN window_to SET NOT NULL`);
    for (const table of ['fact_inventory_daily', 'fact_order_item', 'dim_facility', 'dim_product', 'dim_date']) await q.query(`DROP TABLE ${table}`);
  }
}
