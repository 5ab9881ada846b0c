import { MigrationInterface, QueryRunner } from 'typeorm';
import { WAITING_ITEM_STATUSES } from '../availability/waiting-items';

const waiting = `oi.status IN (${WAITING_ITEM_STATUSES.map((status) => `'${status}'`).join(', ')})`;

const HISTORY_TYPES_BEFORE = [
  'CREATED',
  'APPROVED',
  'HELD',
  'RELEASED',
  'ALLOCATED',
  'QUEUED',
  'REJECTED',
  'AUTO_CANCELLED',
  'CANCELLED',
  'PICKING',
  'PACKED',
  'UNPACKED',
  'SHIPPED',
  'READY_FOR_PICKUP',
  'HANDED_OVER',
  'RETURN_RECEIVED',
  'EDITED',
];

const historyTypeCheck = (types: string[]) => `CHECK (type IN (${types.map((type) => `'${type}'`).join(', ')}))`;

/**
 * The availability of a channel, with what open purchase orders bring when the channel sells it
 * as pre-orderable: as in 1764000002600, plus the open quantity of OPEN purchase orders due at the
 * channel's facilities (those that broker), when `preorder_from_purchase_orders` is set.
 */
function availabilityPublish(withIncoming: boolean): string {
  const incoming = withIncoming
    ? `
            CROSS JOIN LATERAL (
              SELECT sum(pi.quantity - pi.received_quantity) AS units
                FROM purchase_order_item pi JOIN purchase_order po ON po.id = pi.purchase_order_id AND po.status = 'OPEN'
                JOIN facility f ON f.id = po.facility_id AND f.allow_brokering
               WHERE c.preorder_from_purchase_orders AND pi.product_id = p.id
                 AND (c.facility_group_id IS NULL
                      OR EXISTS (SELECT 1 FROM facility_group_member m WHERE m.group_id = c.facility_group_id AND m.facility_id = po.facility_id))
            ) inc`
    : '';
  const incomingUnits = withIncoming ? ' + COALESCE(inc.units, 0)' : '';
  return `
      CREATE OR REPLACE FUNCTION availability_publish(p_channels text[], p_products uuid[]) RETURNS integer LANGUAGE plpgsql
      SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        v_last bigint;
        v_count integer;
        v_at timestamptz;
      BEGIN
        SELECT last INTO v_last FROM availability_feed_sequence FOR UPDATE;
        v_at := clock_timestamp();
        p_channels := COALESCE(p_channels, ARRAY(SELECT code FROM sales_channel));
        p_products := COALESCE(p_products, ARRAY(SELECT id FROM product));
        WITH computed AS (
          SELECT c.code AS channel_code, p.id AS product_id, p.sku, cur.available AS current,
                 GREATEST(0, COALESCE(s.units, 0)${incomingUnits} - COALESCE(w.units, 0) - c.threshold_units)::integer AS available
            FROM unnest(p_products) AS t(id)
            JOIN product p ON p.id = t.id
            CROSS JOIN LATERAL (SELECT sum(oi.quantity) AS units FROM order_item oi WHERE oi.product_id = p.id AND ${waiting}) w
            JOIN sales_channel c ON c.code = ANY (p_channels)
            CROSS JOIN LATERAL (
              SELECT sum(i.brokerable) AS units
                FROM inventory_item i JOIN facility f ON f.id = i.facility_id AND f.allow_brokering
               WHERE i.product_id = p.id
                 AND (c.facility_group_id IS NULL
                      OR EXISTS (SELECT 1 FROM facility_group_member m WHERE m.group_id = c.facility_group_id AND m.facility_id = i.facility_id))
            ) s${incoming}
            LEFT JOIN channel_availability cur ON cur.channel_code = c.code AND cur.product_id = p.id
        ), changed AS (
          SELECT channel_code, product_id, sku, available, v_last + row_number() OVER (ORDER BY product_id, channel_code) AS sequence
            FROM computed WHERE available <> COALESCE(current, 0)
        ), kept AS (
          INSERT INTO channel_availability (channel_code, product_id, available, sequence)
          SELECT channel_code, product_id, available, sequence FROM changed
          ON CONFLICT (channel_code, product_id) DO UPDATE SET available = EXCLUDED.available, sequence = EXCLUDED.sequence
        ), appended AS (
          INSERT INTO availability_change (channel_code, sequence, product_id, available, at)
          SELECT channel_code, sequence, product_id, available, v_at FROM changed
        ), announced AS (
          INSERT INTO outbox_event (topic, aggregate_id, payload)
          SELECT 'availability.changed', product_id,
                 jsonb_build_object('channel', channel_code, 'productId', product_id, 'sku', sku, 'available', available,
                                    'at', to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
            FROM changed ORDER BY sequence
        )
        SELECT count(*) INTO v_count FROM changed;
        IF v_count > 0 THEN
          UPDATE availability_feed_sequence SET last = v_last + v_count;
        END IF;
        RETURN v_count;
      END $$`;
}

/**
 * Inbound supply. Purchase orders (lines with the quantity received so far) and their receipts;
 * transfer orders between two facilities (their units reserved at the source while CREATED);
 * ledger rows name the purchase or transfer order that moved stock. A waiting (BACKORDERED) order
 * item may carry a promise: the date and the purchase order whose open quantity it is promised.
 * A channel may sell what open purchase orders bring as pre-orderable: its availability (and feed)
 * then counts it, and changes of purchase order lines touch the feed like stock does.
 */
export class InboundSupply1764000002800 implements MigrationInterface {
  name = 'InboundSupply1764000002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE purchase_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 128),
        facility_id uuid NOT NULL REFERENCES facility (id),
        expected_date date NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RECEIVED', 'CLOSED')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CHECK ((status = 'OPEN') = (closed_at IS NULL))
      )`);
    await q.query('CREATE INDEX purchase_order_created ON purchase_order (created_at DESC, id DESC)');
    await q.query(`
      CREATE TABLE purchase_order_item (
        purchase_order_id uuid NOT NULL REFERENCES purchase_order (id),
        line_number integer NOT NULL CHECK (line_number > 0),
        product_id uuid NOT NULL REFERENCES product (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        received_quantity integer NOT NULL DEFAULT 0 CHECK (received_quantity >= 0 AND received_quantity <= quantity),
        PRIMARY KEY (purchase_order_id, line_number),
        UNIQUE (purchase_order_id, product_id)
      )`);
    // Promises read the open lines of a product.
    await q.query('CREATE INDEX purchase_order_item_product ON purchase_order_item (product_id) WHERE received_quantity < quantity');
    await q.query(`
      CREATE TABLE purchase_order_receipt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purchase_order_id uuid NOT NULL REFERENCES purchase_order (id),
        facility_id uuid NOT NULL REFERENCES facility (id),
        actor text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX purchase_order_receipt_order ON purchase_order_receipt (purchase_order_id, received_at)');
    await q.query(`
      CREATE TABLE purchase_order_receipt_item (
        receipt_id uuid NOT NULL REFERENCES purchase_order_receipt (id),
        product_id uuid NOT NULL REFERENCES product (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (receipt_id, product_id)
      )`);

    await q.query(`
      CREATE TABLE transfer_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_facility_id uuid NOT NULL REFERENCES facility (id),
        to_facility_id uuid NOT NULL REFERENCES facility (id),
        status text NOT NULL DEFAULT 'CREATED' CHECK (status IN ('CREATED', 'SHIPPED', 'RECEIVED', 'CANCELLED')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        shipped_at timestamptz,
        received_at timestamptz,
        cancelled_at timestamptz,
        CHECK (from_facility_id <> to_facility_id),
        CHECK ((shipped_at IS NOT NULL) = (status IN ('SHIPPED', 'RECEIVED'))),
        CHECK ((received_at IS NOT NULL) = (status = 'RECEIVED')),
        CHECK ((cancelled_at IS NOT NULL) = (status = 'CANCELLED'))
      )`);
    await q.query('CREATE INDEX transfer_order_created ON transfer_order (created_at DESC, id DESC)');
    // In transit: what is shipped toward a facility and not received yet.
    await q.query(`CREATE INDEX transfer_order_in_transit ON transfer_order (to_facility_id) WHERE status = 'SHIPPED'`);
    await q.query(`
      CREATE TABLE transfer_order_item (
        transfer_order_id uuid NOT NULL REFERENCES transfer_order (id),
        product_id uuid NOT NULL REFERENCES product (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (transfer_order_id, product_id)
      )`);

    await q.query('ALTER TABLE inventory_ledger ADD COLUMN purchase_order_id uuid, ADD COLUMN transfer_order_id uuid');

    await q.query(`
      ALTER TABLE order_item
        ADD COLUMN promise_date date,
        ADD COLUMN promised_purchase_order_id uuid REFERENCES purchase_order (id),
        ADD CONSTRAINT order_item_promise_whole CHECK ((promise_date IS NULL) = (promised_purchase_order_id IS NULL)),
        ADD CONSTRAINT order_item_promise_while_backordered CHECK (promise_date IS NULL OR status = 'BACKORDERED')`);
    await q.query('CREATE INDEX order_item_promised ON order_item (promised_purchase_order_id) WHERE promised_purchase_order_id IS NOT NULL');
    // A promise holds only while the item waits: whatever moves it out of BACKORDERED (brokering, a cancel, a hold) ends it.
    await q.query(`
      CREATE FUNCTION order_item_end_promise() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.promise_date := NULL;
        NEW.promised_purchase_order_id := NULL;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER order_item_end_promise BEFORE UPDATE OF status ON order_item
      FOR EACH ROW WHEN (NEW.status <> 'BACKORDERED' AND NEW.promised_purchase_order_id IS NOT NULL) EXECUTE FUNCTION order_item_end_promise()`);

    await q.query('ALTER TABLE order_history DROP CONSTRAINT order_history_type_check');
    await q.query(`ALTER TABLE order_history ADD CONSTRAINT order_history_type_check ${historyTypeCheck([...HISTORY_TYPES_BEFORE, 'PROMISED'])}`);
    await q.query('ALTER TABLE order_history ADD COLUMN purchase_order_id uuid REFERENCES purchase_order (id)');

    await q.query('ALTER TABLE sales_channel ADD COLUMN preorder_from_purchase_orders boolean NOT NULL DEFAULT false');
    await q.query(availabilityPublish(true));
    await q.query(`CREATE TRIGGER purchase_order_item_availability AFTER INSERT OR DELETE OR UPDATE OF quantity, received_quantity, product_id
      ON purchase_order_item FOR EACH ROW EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`
      CREATE FUNCTION availability_touch_purchase_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO availability_touched_product (product_id)
        SELECT product_id FROM purchase_order_item WHERE purchase_order_id = NEW.id ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER purchase_order_availability AFTER UPDATE ON purchase_order FOR EACH ROW
      WHEN (OLD.status <> NEW.status OR OLD.facility_id <> NEW.facility_id) EXECUTE FUNCTION availability_touch_purchase_order()`);
    await q.query('DROP TRIGGER sales_channel_availability_update ON sales_channel');
    await q.query(`CREATE TRIGGER sales_channel_availability_update AFTER UPDATE ON sales_channel FOR EACH ROW
      WHEN (OLD.threshold_units <> NEW.threshold_units OR OLD.facility_group_id IS DISTINCT FROM NEW.facility_group_id
            OR OLD.preorder_from_purchase_orders <> NEW.preorder_from_purchase_orders)
      EXECUTE FUNCTION availability_touch_scope('channel', 'code')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER sales_channel_availability_update ON sales_channel');
    await q.query(`CREATE TRIGGER sales_channel_availability_update AFTER UPDATE ON sales_channel FOR EACH ROW
      WHEN (OLD.threshold_units <> NEW.threshold_units OR OLD.facility_group_id IS DISTINCT FROM NEW.facility_group_id)
      EXECUTE FUNCTION availability_touch_scope('channel', 'code')`);
    await q.query('DROP TRIGGER purchase_order_availability ON purchase_order');
    await q.query('DROP FUNCTION availability_touch_purchase_order()');
    await q.query('DROP TRIGGER purchase_order_item_availability ON purchase_order_item');
    await q.query(availabilityPublish(false));
    await q.query('ALTER TABLE sales_channel DROP COLUMN preorder_from_purchase_orders');
    await q.query('ALTER TABLE order_history DROP COLUMN purchase_order_id');
    await q.query(`DELETE FROM order_history WHERE type = 'PROMISED'`);
    await q.query('ALTER TABLE order_history DROP CONSTRAINT order_history_type_check');
    await q.query(`ALTER TABLE order_history ADD CONSTRAINT order_history_type_check ${historyTypeCheck(HISTORY_TYPES_BEFORE)}`);
    await q.query('DROP TRIGGER order_item_end_promise ON order_item');
    await q.query('DROP FUNCTION order_item_end_promise()');
    await q.query('DROP INDEX order_item_promised');
    await q.query(
      'ALTER TABLE order_item DROP CONSTRAINT order_item_promise_while_backordered, DROP CONSTRAINT order_item_promise_whole, DROP COLUMN promised_purchase_order_id, DROP COLUMN promise_date',
    );
    await q.query('ALTER TABLE inventory_ledger DROP COLUMN transfer_order_id, DROP COLUMN purchase_order_id');
    await q.query('DROP TABLE transfer_order_item, transfer_order');
    await q.query('DROP TABLE purchase_order_receipt_item, purchase_order_receipt, purchase_order_item, purchase_order');
  }
}
