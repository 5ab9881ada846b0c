import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_SHIPPING_METHOD, ORDER_PRIORITY, ORDER_TAGS, SHIPPING_METHODS } from '../orders/order-fields';

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * Orders gain how they ship (a pickup facility with PICKUP only), a priority, a promise date and
 * tags (GIN-indexed for the tag filter); items gain the queue an unallocated item waits in and when
 * it is cancelled unless allocated. Orders gain the status APPROVED between CREATED and brokering:
 * brokering takes approved orders only, so the orders still CREATED, which brokering would have
 * taken, are approved here, and the items waiting are put in the queue they wait in.
 */
export class OrderFields1764000001300 implements MigrationInterface {
  name = 'OrderFields1764000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sales_order
        ADD COLUMN shipping_method text NOT NULL DEFAULT '${DEFAULT_SHIPPING_METHOD}' CHECK (shipping_method IN (${sqlList(SHIPPING_METHODS)})),
        ADD COLUMN pickup_facility_id uuid REFERENCES facility (id),
        ADD COLUMN priority integer NOT NULL DEFAULT ${ORDER_PRIORITY.default} CHECK (priority BETWEEN ${ORDER_PRIORITY.min} AND ${ORDER_PRIORITY.max}),
        ADD COLUMN promise_date date,
        ADD COLUMN tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= ${ORDER_TAGS.maxCount}),
        ADD CONSTRAINT sales_order_pickup_facility_only_for_pickup CHECK ((shipping_method = 'PICKUP') = (pickup_facility_id IS NOT NULL))`);
    await q.query('CREATE INDEX sales_order_tags ON sales_order USING gin (tags)');
    await q.query(`
      ALTER TABLE sales_order DROP CONSTRAINT sales_order_status_check,
        ADD CONSTRAINT sales_order_status_check
          CHECK (status IN ('CREATED', 'APPROVED', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED'))`);
    await q.query(`
      WITH approved AS (UPDATE sales_order SET status = 'APPROVED' WHERE status = 'CREATED' RETURNING id)
      INSERT INTO order_history (order_id, type) SELECT id, 'APPROVED' FROM approved ORDER BY id`);

    await q.query(`
      ALTER TABLE order_item
        ADD COLUMN queue text CHECK (length(queue) BETWEEN 1 AND 64),
        ADD COLUMN auto_cancel_at timestamptz,
        ADD CONSTRAINT order_item_queue_only_unallocated CHECK (queue IS NULL OR status IN ('CREATED', 'BACKORDERED'))`);
    await q.query(`
      UPDATE order_item SET queue = CASE status WHEN 'CREATED' THEN 'BROKERING' ELSE 'BACKORDER' END
       WHERE status IN ('CREATED', 'BACKORDERED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_item DROP COLUMN queue, DROP COLUMN auto_cancel_at');
    await q.query(`UPDATE sales_order SET status = 'CREATED' WHERE status = 'APPROVED'`);
    await q.query(`
      ALTER TABLE sales_order DROP CONSTRAINT sales_order_status_check,
        ADD CONSTRAINT sales_order_status_check
          CHECK (status IN ('CREATED', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED'))`);
    await q.query(`
      ALTER TABLE sales_order DROP COLUMN shipping_method, DROP COLUMN pickup_facility_id, DROP COLUMN priority,
        DROP COLUMN promise_date, DROP COLUMN tags`);
  }
}
