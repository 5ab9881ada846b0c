import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returns: a return names the facility that takes the goods back and the items (with units and a
 * reason) that come back. Each RETURN_RECEIVED history entry names the return it received, so that
 * the warehouse can read its units and whether it was restocked.
 */
export class OrderReturns1764000002300 implements MigrationInterface {
  name = 'OrderReturns1764000002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_return (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES sales_order (id),
        facility_id uuid NOT NULL REFERENCES facility (id),
        status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'RECEIVED')),
        restocked boolean,
        created_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz,
        CHECK ((status = 'RECEIVED') = (received_at IS NOT NULL AND restocked IS NOT NULL))
      )`);
    await q.query('CREATE INDEX order_return_order ON order_return (order_id, created_at)');
    await q.query(`
      CREATE TABLE order_return_item (
        return_id uuid NOT NULL REFERENCES order_return (id),
        item_id uuid NOT NULL REFERENCES order_item (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        reason text NOT NULL CHECK (reason IN ('DAMAGED', 'WRONG_ITEM', 'NOT_AS_DESCRIBED', 'CHANGED_MIND', 'TOO_LATE', 'OTHER')),
        PRIMARY KEY (return_id, item_id)
      )`);
    // The over-return check sums every return of an item.
    await q.query('CREATE INDEX order_return_item_item ON order_return_item (item_id) INCLUDE (quantity)');
    await q.query('ALTER TABLE order_history ADD COLUMN return_id uuid REFERENCES order_return (id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_history DROP COLUMN return_id');
    await q.query('DROP TABLE order_return_item');
    await q.query('DROP TABLE order_return');
  }
}
