import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the order lifecycle did, from the order history, each fact keyed by its history entry (a
 * merge of the same entries again changes nothing): every hold with its reason (an approval rule's
 * at creation, or customer service's later); each order's approval, the first APPROVED or RELEASED
 * entry, with the time of its CREATED entry (an order approved at creation waited nothing, one
 * held first waited until its release); every item the auto-cancel schedule cancelled, with its
 * units. Dates are local to WAREHOUSE_TZ, as yyyymmdd keys.
 */
export class CreateLifecycleFacts1764000000005 implements MigrationInterface {
  name = 'CreateLifecycleFacts1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact_hold (
        history_id bigint PRIMARY KEY,
        hold_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        reason text NOT NULL,
        held_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    // The report filters by a range of days and counts orders per reason: an index-only scan.
    await q.query('CREATE INDEX fact_hold_date ON fact_hold (hold_date_key) INCLUDE (reason, order_id)');

    await q.query(`
      CREATE TABLE fact_approval (
        history_id bigint PRIMARY KEY,
        approval_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        approved_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX fact_approval_date ON fact_approval (approval_date_key) INCLUDE (created_at, approved_at)');

    await q.query(`
      CREATE TABLE fact_auto_cancel (
        history_id bigint PRIMARY KEY,
        cancel_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid NOT NULL,
        product_id uuid NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        cancelled_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX fact_auto_cancel_date ON fact_auto_cancel (cancel_date_key) INCLUDE (units)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fact_auto_cancel', 'fact_approval', 'fact_hold']) await q.query(`DROP TABLE ${table}`);
  }
}
