import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders gain the status HELD (not brokered until released) and the hold they are in (reason, note,
 * since; null when not held), and the approval rules that hold a new order are stored in sequence.
 */
export class ApprovalHolds1764000001700 implements MigrationInterface {
  name = 'ApprovalHolds1764000001700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sales_order DROP CONSTRAINT sales_order_status_check,
        ADD CONSTRAINT sales_order_status_check
          CHECK (status IN ('CREATED', 'APPROVED', 'HELD', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED')),
        ADD COLUMN hold_reason text
          CHECK (hold_reason IN ('AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'CUSTOMER_REQUEST', 'OTHER')),
        ADD COLUMN hold_note text CHECK (length(hold_note) <= 500),
        ADD COLUMN held_since timestamptz,
        ADD CONSTRAINT sales_order_hold_whole CHECK ((hold_reason IS NULL) = (held_since IS NULL) AND (hold_note IS NULL OR hold_reason IS NOT NULL))`);
    await q.query(`
      CREATE TABLE approval_rule (
        sequence integer PRIMARY KEY CHECK (sequence >= 0),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        conditions jsonb NOT NULL CHECK (jsonb_typeof(conditions) = 'object'),
        hold_reason text NOT NULL
          CHECK (hold_reason IN ('AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'CUSTOMER_REQUEST', 'OTHER'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE approval_rule');
    await q.query(`UPDATE sales_order SET status = 'APPROVED' WHERE status = 'HELD'`);
    await q.query(`
      ALTER TABLE sales_order DROP CONSTRAINT sales_order_hold_whole,
        DROP COLUMN hold_reason, DROP COLUMN hold_note, DROP COLUMN held_since,
        DROP CONSTRAINT sales_order_status_check,
        ADD CONSTRAINT sales_order_status_check
          CHECK (status IN ('CREATED', 'APPROVED', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED'))`);
  }
}
