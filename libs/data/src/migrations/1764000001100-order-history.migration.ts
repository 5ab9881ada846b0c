import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What happened to each order, oldest first: written by the statements that change orders (the
 * order's insert and the status writer), in their transaction, so the history never misses a
 * change nor shows one that rolled back.
 */
export class OrderHistory1764000001100 implements MigrationInterface {
  name = 'OrderHistory1764000001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        item_id uuid REFERENCES order_item (id),
        type text NOT NULL CHECK (type IN ('CREATED', 'APPROVED', 'HELD', 'RELEASED', 'ALLOCATED', 'QUEUED', 'REJECTED', 'AUTO_CANCELLED',
          'CANCELLED', 'PICKING', 'PACKED', 'UNPACKED', 'SHIPPED', 'READY_FOR_PICKUP', 'HANDED_OVER', 'RETURN_RECEIVED', 'EDITED')),
        facility_id uuid REFERENCES facility (id),
        reason text,
        note text,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX order_history_order_id ON order_history (order_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_history');
  }
}
