import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Picklists (the allocated items a picker takes at one facility) and shipments (the items of one
 * order packed at one facility, in packages, shipped with a carrier and a tracking number). An item
 * is on one open picklist at most: a unique index over the entries still open says so, whatever
 * the code that selects them.
 */
export class PicklistsAndShipments1764000002100 implements MigrationInterface {
  name = 'PicklistsAndShipments1764000002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE picklist (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facility (id),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'COMPLETED')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        CONSTRAINT picklist_completed_when CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL))
      )`);
    await q.query('CREATE INDEX picklist_facility_created_at ON picklist (facility_id, created_at)');
    await q.query(`
      CREATE TABLE picklist_item (
        picklist_id uuid NOT NULL REFERENCES picklist (id),
        order_item_id uuid NOT NULL REFERENCES order_item (id),
        position integer NOT NULL CHECK (position > 0),
        open boolean NOT NULL DEFAULT true,
        PRIMARY KEY (picklist_id, order_item_id)
      )`);
    await q.query('CREATE UNIQUE INDEX picklist_item_open_once ON picklist_item (order_item_id) WHERE open');
    await q.query(`CREATE INDEX order_item_allocated_at_facility ON order_item (facility_id) WHERE status = 'ALLOCATED'`);

    await q.query(`
      CREATE TABLE shipment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES sales_order (id),
        facility_id uuid NOT NULL REFERENCES facility (id),
        status text NOT NULL CHECK (status IN ('PACKED', 'SHIPPED', 'UNPACKED')),
        carrier text CHECK (length(carrier) BETWEEN 1 AND 100),
        tracking_number text CHECK (length(tracking_number) BETWEEN 1 AND 100),
        service text CHECK (length(service) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        shipped_at timestamptz,
        CONSTRAINT shipment_shipped_when CHECK ((status = 'SHIPPED') = (shipped_at IS NOT NULL))
      )`);
    await q.query('CREATE INDEX shipment_order_created_at ON shipment (order_id, created_at)');
    await q.query(`
      CREATE TABLE shipment_item (
        shipment_id uuid NOT NULL REFERENCES shipment (id),
        order_item_id uuid NOT NULL REFERENCES order_item (id),
        PRIMARY KEY (shipment_id, order_item_id)
      )`);
    await q.query(`
      CREATE TABLE shipment_package (
        shipment_id uuid NOT NULL REFERENCES shipment (id),
        package_number integer NOT NULL CHECK (package_number > 0),
        weight_grams integer CHECK (weight_grams > 0),
        length_cm integer CHECK (length_cm > 0),
        width_cm integer CHECK (width_cm > 0),
        height_cm integer CHECK (height_cm > 0),
        PRIMARY KEY (shipment_id, package_number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['shipment_package', 'shipment_item', 'shipment', 'picklist_item', 'picklist']) await q.query(`DROP TABLE ${table}`);
    await q.query('DROP INDEX order_item_allocated_at_facility');
  }
}
