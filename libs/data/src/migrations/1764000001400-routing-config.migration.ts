import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  ASSIGNMENTS,
  BACKORDER_QUEUE,
  ROUTING_GROUP_STATUSES,
  ROUTING_RUN_TRIGGERS,
  ROUTING_STATUSES,
  ROUTING_TRIGGERS,
} from '../routing/routing-config';

/** `'A', 'B'`: a list of the code's constants for a CHECK (a test holds the constraints to the lists). */
const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * The routing configuration (groups -> routings -> rules) and the runs of the routing engine, with
 * the default group that routes as brokering did before: the nearest facility that has every item,
 * else split over the nearest ones, else backorder.
 */
export class RoutingConfig1764000001400 implements MigrationInterface {
  name = 'RoutingConfig1764000001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        trigger text NOT NULL CHECK (trigger IN (${sqlList(ROUTING_TRIGGERS)})),
        cron text CHECK (length(cron) BETWEEN 1 AND 200),
        status text NOT NULL CHECK (status IN (${sqlList(ROUTING_GROUP_STATUSES)})),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT routing_group_cron_iff_schedule CHECK ((trigger = 'SCHEDULE') = (cron IS NOT NULL))
      )`);
    // The engine routes an approved order by the one active ORDER_APPROVED group: a second is refused here, whatever races.
    await q.query(
      `CREATE UNIQUE INDEX routing_group_one_active_order_approved ON routing_group (trigger) WHERE status = 'ACTIVE' AND trigger = 'ORDER_APPROVED'`,
    );
    await q.query('CREATE INDEX routing_group_created_at_id ON routing_group (created_at, id)');
    await q.query('CREATE TRIGGER routing_group_updated_at BEFORE UPDATE ON routing_group FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()');

    await q.query(`
      CREATE TABLE routing (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        group_id uuid NOT NULL REFERENCES routing_group (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        sequence integer NOT NULL CHECK (sequence BETWEEN 0 AND 1000000),
        status text NOT NULL CHECK (status IN (${sqlList(ROUTING_STATUSES)})),
        order_filters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(order_filters) = 'array'),
        order_sorts jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(order_sorts) = 'array'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX routing_group_id_sequence ON routing (group_id, sequence)');
    await q.query('CREATE TRIGGER routing_updated_at BEFORE UPDATE ON routing FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()');

    await q.query(`
      CREATE TABLE routing_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        routing_id uuid NOT NULL REFERENCES routing (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        sequence integer NOT NULL CHECK (sequence BETWEEN 0 AND 1000000),
        status text NOT NULL CHECK (status IN (${sqlList(ROUTING_STATUSES)})),
        assignment text NOT NULL CHECK (assignment IN (${sqlList(ASSIGNMENTS)})),
        inventory_filters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(inventory_filters) = 'array'),
        inventory_sorts jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(inventory_sorts) = 'array'),
        unfilled_action jsonb NOT NULL DEFAULT '{"type": "NEXT_RULE"}' CHECK (jsonb_typeof(unfilled_action) = 'object'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX routing_rule_routing_id_sequence ON routing_rule (routing_id, sequence)');
    await q.query('CREATE TRIGGER routing_rule_updated_at BEFORE UPDATE ON routing_rule FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()');

    // A run outlives its group (SET NULL): the history of what routing did stays readable.
    await q.query(`
      CREATE TABLE routing_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        group_id uuid REFERENCES routing_group (id) ON DELETE SET NULL,
        trigger text NOT NULL CHECK (trigger IN (${sqlList(ROUTING_RUN_TRIGGERS)})),
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        orders_considered integer NOT NULL DEFAULT 0 CHECK (orders_considered >= 0),
        items_allocated integer NOT NULL DEFAULT 0 CHECK (items_allocated >= 0),
        items_unfilled integer NOT NULL DEFAULT 0 CHECK (items_unfilled >= 0),
        by_rule jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(by_rule) = 'array')
      )`);
    await q.query('CREATE INDEX routing_run_started_at ON routing_run (started_at DESC, id DESC)');
    await q.query('CREATE INDEX routing_run_group_started_at ON routing_run (group_id, started_at DESC, id DESC)');

    await q.query(
      `WITH default_group AS (
         INSERT INTO routing_group (name, trigger, status) VALUES ('Default', 'ORDER_APPROVED', 'ACTIVE') RETURNING id
       ), all_orders AS (
         INSERT INTO routing (group_id, name, sequence, status, order_filters, order_sorts)
         SELECT id, 'All orders', 10, 'ACTIVE', '[]', '[{"field": "orderDate", "direction": "asc"}]' FROM default_group
         RETURNING id
       )
       INSERT INTO routing_rule (routing_id, name, sequence, status, assignment, inventory_sorts, unfilled_action)
       SELECT all_orders.id, rule.name, rule.sequence, 'ACTIVE', rule.assignment, '[{"field": "distance", "direction": "asc"}]', rule.unfilled_action
         FROM all_orders,
              (VALUES ('Nearest facility with every item', 10, 'SINGLE', '{"type": "NEXT_RULE"}'::jsonb),
                      ('Split over the nearest facilities', 20, 'MULTI', jsonb_build_object('type', 'MOVE_TO_QUEUE', 'queue', $1::text))
              ) AS rule (name, sequence, assignment, unfilled_action)`,
      [BACKORDER_QUEUE],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing_run');
    await q.query('DROP TABLE routing_rule');
    await q.query('DROP TABLE routing');
    await q.query('DROP TABLE routing_group');
  }
}
