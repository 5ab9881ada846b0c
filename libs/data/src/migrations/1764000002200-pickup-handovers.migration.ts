import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pickup order's handover keeps the proof the store took of who collected it (a name, and the
 * identity document shown, if any). The time items became ready for pickup, which the not-collected
 * schedule reads, is their READY_FOR_PICKUP history entry; an index on items in that status keeps
 * the schedule's look-up small.
 */
export class PickupHandovers1764000002200 implements MigrationInterface {
  name = 'PickupHandovers1764000002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pickup_handover (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        facility_id uuid NOT NULL REFERENCES facility (id),
        item_ids uuid[] NOT NULL CHECK (cardinality(item_ids) > 0),
        proof_name text NOT NULL CHECK (length(proof_name) BETWEEN 1 AND 200),
        proof_id_type text CHECK (length(proof_id_type) BETWEEN 1 AND 64),
        proof_id_number text CHECK (length(proof_id_number) BETWEEN 1 AND 64),
        actor text NOT NULL,
        handed_over_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX pickup_handover_order ON pickup_handover (order_id)');
    await q.query(`CREATE INDEX order_item_ready_for_pickup ON order_item (order_id) WHERE status = 'READY_FOR_PICKUP'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX order_item_ready_for_pickup');
    await q.query('DROP TABLE pickup_handover');
  }
}
