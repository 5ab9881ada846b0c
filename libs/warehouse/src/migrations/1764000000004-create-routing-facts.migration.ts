import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What routing did, from the order history: one fact per allocation (the facility and the routing
 * group, routing and rule that made it) and one per rejection (the facility and its reason), keyed
 * by the history entry's id, so a merge of the same entries again changes nothing. The rules'
 * names are a dimension of their own that keeps the last name the ETL saw: the history outlives
 * configuration deleted later. A fact's rule may be unknown (an allocation made before routing
 * rules, or a rule deleted before any run saw it). Dates are local to WAREHOUSE_TZ, as yyyymmdd keys.
 */
export class CreateRoutingFacts1764000000004 implements MigrationInterface {
  name = 'CreateRoutingFacts1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dim_routing_rule (
        routing_rule_id uuid PRIMARY KEY,
        name text NOT NULL,
        routing_id uuid NOT NULL,
        routing_name text NOT NULL,
        routing_group_id uuid NOT NULL,
        routing_group_name text NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE fact_allocation (
        history_id bigint PRIMARY KEY,
        allocation_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid NOT NULL,
        product_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        routing_group_id uuid,
        routing_id uuid,
        routing_rule_id uuid,
        units integer NOT NULL CHECK (units > 0),
        allocated_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    // The report filters by a range of days and groups by facility and rule: an index-only scan.
    await q.query(
      'CREATE INDEX fact_allocation_date ON fact_allocation (allocation_date_key) INCLUDE (facility_id, routing_group_id, routing_rule_id, units)',
    );

    await q.query(`
      CREATE TABLE fact_rejection (
        history_id bigint PRIMARY KEY,
        rejection_date_key integer NOT NULL,
        order_id uuid NOT NULL,
        order_item_id uuid NOT NULL,
        product_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        reason text NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        rejected_at timestamptz NOT NULL,
        source_updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX fact_rejection_date ON fact_rejection (rejection_date_key) INCLUDE (facility_id, reason, units)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fact_rejection', 'fact_allocation', 'dim_routing_rule']) await q.query(`DROP TABLE ${table}`);
  }
}
