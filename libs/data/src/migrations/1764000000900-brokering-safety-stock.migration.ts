import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facilities that take part in brokering (allow_brokering) and brokering safety stock: brokering
 * allocates only from `brokerable`, what is available to promise above the row's minimum_stock.
 * The defaults (true, 0) keep brokering as it was.
 */
export class BrokeringSafetyStock1764000000900 implements MigrationInterface {
  name = 'BrokeringSafetyStock1764000000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE facility ADD COLUMN allow_brokering boolean NOT NULL DEFAULT true');
    await q.query(`
      ALTER TABLE inventory_item
        ADD COLUMN minimum_stock integer NOT NULL DEFAULT 0 CONSTRAINT inventory_item_minimum_stock_range CHECK (minimum_stock BETWEEN 0 AND 1000000000),
        ADD COLUMN brokerable integer GENERATED ALWAYS AS (GREATEST(0, quantity_on_hand - quantity_reserved - minimum_stock)) STORED`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inventory_item DROP COLUMN brokerable, DROP COLUMN minimum_stock');
    await q.query('ALTER TABLE facility DROP COLUMN allow_brokering');
  }
}
