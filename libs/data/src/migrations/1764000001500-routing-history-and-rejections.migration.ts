import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every allocation in the history names the routing group, routing and rule that made it (plain
 * ids: the history outlives configuration that is deleted later), and every facility that rejected
 * an item is recorded, so that routing never chooses it for that item again.
 */
export class RoutingHistoryAndRejections1764000001500 implements MigrationInterface {
  name = 'RoutingHistoryAndRejections1764000001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_history ADD COLUMN routing_group_id uuid, ADD COLUMN routing_id uuid, ADD COLUMN routing_rule_id uuid`);
    await q.query(`
      CREATE TABLE order_item_rejection (
        item_id uuid NOT NULL REFERENCES order_item (id),
        facility_id uuid NOT NULL REFERENCES facility (id),
        reason text NOT NULL CHECK (reason IN ('NOT_IN_STOCK', 'MISMATCH', 'DAMAGED', 'WORN_DISPLAY', 'INACTIVE_STORE', 'NO_VARIANCE')),
        note text CHECK (length(note) <= 1000),
        rejected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (item_id, facility_id)
      )`);
    await q.query('CREATE INDEX order_item_rejection_facility ON order_item_rejection (facility_id, rejected_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_item_rejection');
    await q.query('ALTER TABLE order_history DROP COLUMN routing_group_id, DROP COLUMN routing_id, DROP COLUMN routing_rule_id');
  }
}
