import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['product', 'facility', 'inventory_item', 'sales_order', 'order_item'];

/**
 * `updated_at` is kept by the database: every UPDATE of these tables stamps the row with
 * clock_timestamp(), so no statement has to remember it (the warehouse's incremental ETL selects
 * on it, and a forgotten stamp would silently skip a change).
 */
export class UpdatedAtTrigger1764000000600 implements MigrationInterface {
  name = 'UpdatedAtTrigger1764000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION stamp_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
      END $$`);
    for (const table of TABLES) {
      await q.query(`CREATE TRIGGER ${table}_updated_at BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ${table}_updated_at ON ${table}`);
    await q.query('DROP FUNCTION stamp_updated_at()');
  }
}
