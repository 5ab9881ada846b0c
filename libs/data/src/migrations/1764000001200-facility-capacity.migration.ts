import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facility capacity: the most orders a facility takes per day (null unlimited, 0 none) and, per
 * facility and day (the date in BROKERING_TZ), how many orders brokering has allocated there. The
 * day rows are what concurrent brokering locks, so that no facility goes past its maximum.
 */
export class FacilityCapacity1764000001200 implements MigrationInterface {
  name = 'FacilityCapacity1764000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE facility ADD COLUMN maximum_orders_per_day integer
        CONSTRAINT facility_maximum_orders_per_day_range CHECK (maximum_orders_per_day BETWEEN 0 AND 1000000000)`);
    await q.query(`
      CREATE TABLE facility_order_day (
        facility_id uuid NOT NULL REFERENCES facility (id),
        day date NOT NULL,
        orders_allocated integer NOT NULL DEFAULT 0 CONSTRAINT facility_order_day_orders_allocated_range CHECK (orders_allocated >= 0),
        PRIMARY KEY (facility_id, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE facility_order_day');
    await q.query('ALTER TABLE facility DROP COLUMN maximum_orders_per_day');
  }
}
