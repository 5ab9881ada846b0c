import { MigrationInterface, QueryRunner } from 'typeorm';
import { WAITING_ITEM_STATUSES } from '../availability/waiting-items';

const waiting = (row: 'NEW.' | 'OLD.' | 'oi.' | '') => `${row}status IN (${WAITING_ITEM_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * Online availability per channel and its change feed, kept by the database in the transaction
 * that changes stock. Row triggers note which products (or, for configuration, which channels) a
 * transaction touched, once each; at commit a deferred constraint trigger takes the one feed
 * counter row lock (held until the commit ends, so feed order is commit order), recomputes the
 * touched availability after taking it (so the value sees every earlier commit), and appends a
 * change row, plus an `availability.changed` outbox event, where the value differs from the
 * channel's current one. Also the nightly snapshots of every channel and the index that sums what
 * waits in the queues cheaply.
 */
export class ChannelAvailabilityFeed1764000002600 implements MigrationInterface {
  name = 'ChannelAvailabilityFeed1764000002600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE availability_feed_sequence (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last bigint NOT NULL DEFAULT 0
      )`);
    await q.query('INSERT INTO availability_feed_sequence DEFAULT VALUES');
    await q.query(`
      CREATE TABLE channel_availability (
        channel_code text NOT NULL REFERENCES sales_channel (code),
        product_id uuid NOT NULL REFERENCES product (id),
        available integer NOT NULL CHECK (available >= 0),
        sequence bigint NOT NULL,
        PRIMARY KEY (channel_code, product_id)
      )`);
    // Append-only and written at every commit that changes stock: no foreign keys to check there.
    await q.query(`
      CREATE TABLE availability_change (
        channel_code text NOT NULL,
        sequence bigint NOT NULL,
        product_id uuid NOT NULL,
        available integer NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (channel_code, sequence)
      )`);
    await q.query(`
      CREATE TABLE availability_snapshot (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel_code text NOT NULL REFERENCES sales_channel (code),
        feed_sequence bigint NOT NULL,
        taken_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX availability_snapshot_channel ON availability_snapshot (channel_code, id DESC)');
    await q.query(`
      CREATE TABLE availability_snapshot_item (
        snapshot_id bigint NOT NULL REFERENCES availability_snapshot (id) ON DELETE CASCADE,
        product_id uuid NOT NULL,
        available integer NOT NULL,
        PRIMARY KEY (snapshot_id, product_id)
      )`);
    await q.query(`CREATE INDEX order_item_waiting_product ON order_item (product_id) INCLUDE (quantity) WHERE ${waiting('')}`);

    // What a transaction touched, once each: products, or configuration (a channel, a facility group, a facility), resolved at commit.
    // Transient rows, so not WAL-logged.
    await q.query(`
      CREATE UNLOGGED TABLE availability_touched_product (
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        product_id uuid NOT NULL,
        PRIMARY KEY (xid, product_id)
      )`);
    await q.query(`
      CREATE UNLOGGED TABLE availability_touched_scope (
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        kind text NOT NULL CHECK (kind IN ('channel', 'group', 'facility')),
        ref text NOT NULL,
        PRIMARY KEY (xid, kind, ref)
      )`);

    // One plan, made once per connection: planning the statement for each commit cost more than running it.
    await q.query(`
      CREATE FUNCTION availability_publish(p_channels text[], p_products uuid[]) RETURNS integer LANGUAGE plpgsql
      SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        v_last bigint;
        v_count integer;
        v_at timestamptz;
      BEGIN
        SELECT last INTO v_last FROM availability_feed_sequence FOR UPDATE;
        v_at := clock_timestamp();
        -- Null is all of them, read after the lock: a channel created by a commit just before is included.
        p_channels := COALESCE(p_channels, ARRAY(SELECT code FROM sales_channel));
        p_products := COALESCE(p_products, ARRAY(SELECT id FROM product));
        -- Index look-ups per product and channel: the arrays are short (one commit's products, every channel).
        WITH computed AS (
          SELECT c.code AS channel_code, p.id AS product_id, p.sku, cur.available AS current,
                 GREATEST(0, COALESCE(s.units, 0) - COALESCE(w.units, 0) - c.threshold_units)::integer AS available
            FROM unnest(p_products) AS t(id)
            JOIN product p ON p.id = t.id
            CROSS JOIN LATERAL (SELECT sum(oi.quantity) AS units FROM order_item oi WHERE oi.product_id = p.id AND ${waiting('oi.')}) w
            JOIN sales_channel c ON c.code = ANY (p_channels)
            CROSS JOIN LATERAL (
              SELECT sum(i.brokerable) AS units
                FROM inventory_item i JOIN facility f ON f.id = i.facility_id AND f.allow_brokering
               WHERE i.product_id = p.id
                 AND (c.facility_group_id IS NULL
                      OR EXISTS (SELECT 1 FROM facility_group_member m WHERE m.group_id = c.facility_group_id AND m.facility_id = i.facility_id))
            ) s
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
      END $$`);

    await q.query(`
      CREATE FUNCTION availability_publish_touched() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_scopes jsonb;
        v_channels text[];
        v_products uuid[];
      BEGIN
        WITH gone AS (DELETE FROM availability_touched_scope WHERE xid = pg_current_xact_id() RETURNING kind, ref)
        SELECT jsonb_agg(jsonb_build_object('kind', kind, 'ref', ref)) INTO v_scopes FROM gone;
        WITH gone AS (DELETE FROM availability_touched_product WHERE xid = pg_current_xact_id() RETURNING product_id)
        SELECT array_agg(product_id) INTO v_products FROM gone;
        IF v_scopes IS NOT NULL THEN
          -- Resolved after the lock, so that what commits just before (a channel moved to the group, stock at the facility) is included.
          PERFORM 1 FROM availability_feed_sequence FOR UPDATE;
          v_channels := ARRAY(
            SELECT c.code FROM sales_channel c JOIN jsonb_to_recordset(v_scopes) AS t(kind text, ref text)
              ON (t.kind = 'channel' AND c.code = t.ref) OR (t.kind = 'group' AND c.facility_group_id::text = t.ref));
          IF cardinality(v_channels) > 0 THEN
            PERFORM availability_publish(v_channels, NULL);
          END IF;
          v_products := ARRAY(
            SELECT i.product_id FROM inventory_item i JOIN jsonb_to_recordset(v_scopes) AS t(kind text, ref text)
              ON t.kind = 'facility' AND i.facility_id::text = t.ref
            UNION SELECT unnest(v_products));
        END IF;
        IF cardinality(v_products) > 0 THEN
          PERFORM availability_publish(NULL, v_products);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['availability_touched_product', 'availability_touched_scope']) {
      await q.query(`
        CREATE CONSTRAINT TRIGGER ${table}_publish AFTER INSERT ON ${table}
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION availability_publish_touched()`);
    }

    await q.query(`
      CREATE FUNCTION availability_touch_product() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO availability_touched_product (product_id) VALUES (NEW.product_id) ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.product_id <> NEW.product_id) THEN
          INSERT INTO availability_touched_product (product_id) VALUES (OLD.product_id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER inventory_item_availability_insert AFTER INSERT ON inventory_item FOR EACH ROW WHEN (NEW.brokerable > 0)
      EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`CREATE TRIGGER inventory_item_availability_update AFTER UPDATE ON inventory_item
      FOR EACH ROW WHEN (OLD.brokerable <> NEW.brokerable OR OLD.product_id <> NEW.product_id) EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`CREATE TRIGGER inventory_item_availability_delete AFTER DELETE ON inventory_item FOR EACH ROW WHEN (OLD.brokerable > 0)
      EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`CREATE TRIGGER order_item_availability_insert AFTER INSERT ON order_item FOR EACH ROW WHEN (${waiting('NEW.')})
      EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`CREATE TRIGGER order_item_availability_update AFTER UPDATE ON order_item FOR EACH ROW
      WHEN ((${waiting('OLD.')}) <> (${waiting('NEW.')})
            OR ((${waiting('NEW.')}) AND (OLD.quantity <> NEW.quantity OR OLD.product_id <> NEW.product_id)))
      EXECUTE FUNCTION availability_touch_product()`);
    await q.query(`CREATE TRIGGER order_item_availability_delete AFTER DELETE ON order_item FOR EACH ROW WHEN (${waiting('OLD.')})
      EXECUTE FUNCTION availability_touch_product()`);

    await q.query(`
      CREATE FUNCTION availability_touch_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- TG_ARGV: the kind of scope, and the column that names it; OLD is null on INSERT, NEW on DELETE.
        INSERT INTO availability_touched_scope (kind, ref)
        SELECT DISTINCT TG_ARGV[0], ref FROM (VALUES (to_jsonb(NEW) ->> TG_ARGV[1]), (to_jsonb(OLD) ->> TG_ARGV[1])) AS touched(ref)
         WHERE ref IS NOT NULL
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER facility_availability AFTER UPDATE OF allow_brokering ON facility
      FOR EACH ROW WHEN (OLD.allow_brokering <> NEW.allow_brokering) EXECUTE FUNCTION availability_touch_scope('facility', 'id')`);
    await q.query(`CREATE TRIGGER facility_group_member_availability AFTER INSERT OR UPDATE OR DELETE ON facility_group_member
      FOR EACH ROW EXECUTE FUNCTION availability_touch_scope('group', 'group_id')`);
    await q.query(
      "CREATE TRIGGER sales_channel_availability_insert AFTER INSERT ON sales_channel FOR EACH ROW EXECUTE FUNCTION availability_touch_scope('channel', 'code')",
    );
    await q.query(`CREATE TRIGGER sales_channel_availability_update AFTER UPDATE ON sales_channel FOR EACH ROW
      WHEN (OLD.threshold_units <> NEW.threshold_units OR OLD.facility_group_id IS DISTINCT FROM NEW.facility_group_id)
      EXECUTE FUNCTION availability_touch_scope('channel', 'code')`);

    // The channels and stock of today, as the first changes of the feed.
    await q.query('SELECT availability_publish(NULL, NULL)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['sales_channel_availability_update', 'sales_channel'],
      ['sales_channel_availability_insert', 'sales_channel'],
      ['facility_group_member_availability', 'facility_group_member'],
      ['facility_availability', 'facility'],
      ['order_item_availability_delete', 'order_item'],
      ['order_item_availability_update', 'order_item'],
      ['order_item_availability_insert', 'order_item'],
      ['inventory_item_availability_delete', 'inventory_item'],
      ['inventory_item_availability_update', 'inventory_item'],
      ['inventory_item_availability_insert', 'inventory_item'],
    ]) {
      await q.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await q.query('DROP FUNCTION availability_touch_scope(), availability_touch_product()');
    await q.query('DROP TABLE availability_touched_scope, availability_touched_product');
    await q.query('DROP FUNCTION availability_publish_touched()');
    await q.query('DROP FUNCTION availability_publish(text[], uuid[])');
    await q.query('DROP INDEX order_item_waiting_product');
    await q.query(
      'DROP TABLE availability_snapshot_item, availability_snapshot, availability_change, channel_availability, availability_feed_sequence',
    );
    await q.query(`DELETE FROM outbox_event WHERE topic = 'availability.changed'`);
  }
}
