import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: the endpoints partners register, one delivery per endpoint and outbox event
 * (written in the transaction that relays the event, so none is lost), and one attempt row per
 * POST for the delivery log. A delivery is claimed with a lease (`locked_until`) rather than a
 * transaction held across the HTTP call, so one whose worker died is sent again once it lapses.
 * Inserting deliveries notifies channel `webhook_delivery` on commit, which wakes the dispatchers.
 */
export class WebhooksOut1764000002700 implements MigrationInterface {
  name = 'WebhooksOut1764000002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id),
        event_id bigint NOT NULL,
        type text NOT NULL,
        order_id uuid,
        data jsonb NOT NULL,
        event_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DROPPED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        first_attempt_at timestamptz,
        finished_at timestamptz,
        UNIQUE (endpoint_id, event_id)
      )`);
    // The claim walks an endpoint's pending deliveries by due time; the order check looks for an earlier pending event of the same order.
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (endpoint_id, next_attempt_at, id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_delivery_order ON webhook_delivery (endpoint_id, order_id, event_id) WHERE status = 'PENDING'`);
    // The deliveries in flight (leased), counted per endpoint on every claim.
    await q.query(`CREATE INDEX webhook_delivery_leased ON webhook_delivery (endpoint_id) WHERE status = 'PENDING' AND locked_until IS NOT NULL`);
    await q.query(`
      CREATE TABLE webhook_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES webhook_delivery (id),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id),
        attempt integer NOT NULL,
        response_status integer,
        error text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX webhook_attempt_endpoint ON webhook_attempt (endpoint_id, id DESC)');
    await q.query(`
      CREATE FUNCTION webhook_delivery_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('webhook_delivery', '');
        RETURN NULL;
      END $$`);
    await q.query(
      'CREATE TRIGGER webhook_delivery_notify AFTER INSERT ON webhook_delivery FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_notify()',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER webhook_delivery_notify ON webhook_delivery');
    await q.query('DROP FUNCTION webhook_delivery_notify()');
    await q.query('DROP TABLE webhook_attempt');
    await q.query('DROP TABLE webhook_delivery');
    await q.query('DROP TABLE webhook_endpoint');
  }
}
