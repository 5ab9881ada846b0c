import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog, inventory with its ledger, orders, idempotency records and the outbox. The invariants
 * that concurrency could break are enforced here, not in application code: ATP can never go
 * negative (CHECK), SKUs, facility codes and external order ids are unique.
 */
export class CreateOrderCore1764000000100 implements MigrationInterface {
  name = 'CreateOrderCore1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE product (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sku text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
        price numeric(14, 2) NOT NULL CHECK (price >= 0),
        currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX product_created_at_id ON product (created_at, id)');

    await q.query(`
      CREATE TABLE facility (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
        type text NOT NULL CHECK (type IN ('WAREHOUSE', 'STORE')),
        latitude numeric(9, 6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude numeric(9, 6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        can_ship boolean NOT NULL DEFAULT true,
        can_pickup boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX facility_created_at_id ON facility (created_at, id)');

    await q.query(`
      CREATE TABLE inventory_item (
        facility_id uuid NOT NULL REFERENCES facility (id),
        product_id uuid NOT NULL REFERENCES product (id),
        quantity_on_hand integer NOT NULL CHECK (quantity_on_hand >= 0),
        quantity_reserved integer NOT NULL DEFAULT 0 CHECK (quantity_reserved >= 0),
        available_to_promise integer GENERATED ALWAYS AS (quantity_on_hand - quantity_reserved) STORED,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (facility_id, product_id),
        CONSTRAINT inventory_reserved_within_on_hand CHECK (quantity_reserved <= quantity_on_hand)
      )`);
    await q.query('CREATE INDEX inventory_item_product ON inventory_item (product_id)');

    await q.query(`
      CREATE TABLE inventory_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        facility_id uuid NOT NULL,
        product_id uuid NOT NULL,
        on_hand_delta integer NOT NULL,
        reserved_delta integer NOT NULL DEFAULT 0,
        reason text NOT NULL,
        actor text NOT NULL,
        order_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        FOREIGN KEY (facility_id, product_id) REFERENCES inventory_item (facility_id, product_id)
      )`);
    await q.query('CREATE INDEX inventory_ledger_item ON inventory_ledger (facility_id, product_id, id)');

    await q.query(`
      CREATE TABLE sales_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 128),
        status text NOT NULL CHECK (status IN ('CREATED', 'BROKERED', 'PARTIALLY_BROKERED', 'BACKORDERED', 'COMPLETED', 'CANCELLED')),
        customer_email text NOT NULL,
        customer_name text,
        shipping_address jsonb NOT NULL,
        currency char(3) NOT NULL DEFAULT 'USD',
        total numeric(16, 2) NOT NULL CHECK (total >= 0),
        api_key_id uuid REFERENCES api_key (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX sales_order_created_at_id ON sales_order (created_at DESC, id DESC)');
    await q.query('CREATE INDEX sales_order_status_created_at_id ON sales_order (status, created_at DESC, id DESC)');

    await q.query(`
      CREATE TABLE order_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES sales_order (id),
        line_number integer NOT NULL,
        product_id uuid NOT NULL REFERENCES product (id),
        sku text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(14, 2) NOT NULL CHECK (unit_price >= 0),
        status text NOT NULL CHECK (status IN ('CREATED', 'ALLOCATED', 'BACKORDERED', 'SHIPPED', 'CANCELLED')),
        facility_id uuid REFERENCES facility (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (order_id, line_number),
        CONSTRAINT order_item_allocated_has_facility CHECK (status NOT IN ('ALLOCATED', 'SHIPPED') OR facility_id IS NOT NULL)
      )`);
    await q.query('CREATE INDEX order_item_product ON order_item (product_id)');

    await q.query(`
      CREATE TABLE idempotency_record (
        api_key_id uuid NOT NULL REFERENCES api_key (id),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (api_key_id, key)
      )`);

    await q.query(`
      CREATE TABLE outbox_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        aggregate_id uuid NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await q.query('CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_event',
      'idempotency_record',
      'order_item',
      'sales_order',
      'inventory_ledger',
      'inventory_item',
      'facility',
      'product',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
