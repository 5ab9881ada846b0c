import { MigrationInterface, QueryRunner } from 'typeorm';

/** Facility groups (brokering, channel, pickup, other) and their members in sequence: what routing rules and channels name. */
export class FacilityGroups1764000001000 implements MigrationInterface {
  name = 'FacilityGroups1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facility_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
        type text NOT NULL CHECK (type IN ('BROKERING', 'CHANNEL', 'PICKUP', 'OTHER')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX facility_group_created_at_id ON facility_group (created_at, id)');
    await q.query('CREATE TRIGGER facility_group_updated_at BEFORE UPDATE ON facility_group FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()');
    await q.query(`
      CREATE TABLE facility_group_member (
        group_id uuid NOT NULL REFERENCES facility_group (id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facility (id),
        sequence integer NOT NULL CHECK (sequence BETWEEN 0 AND 1000000),
        PRIMARY KEY (group_id, facility_id)
      )`);
    await q.query('CREATE INDEX facility_group_member_facility ON facility_group_member (facility_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE facility_group_member');
    await q.query('DROP TABLE facility_group');
  }
}
