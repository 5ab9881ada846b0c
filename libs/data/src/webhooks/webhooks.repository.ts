import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { WebhookEndpointRow } from '../entities/webhook.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ORDER_WEBHOOK_EVENTS, WEBHOOK_EVENTS, type WebhookDeliveryStatus, type WebhookEvent } from './webhook-events';

const ENDPOINT_VIEW = selectColumns(WebhookEndpointRow, ['id', 'url', 'events', 'createdAt']);

export interface NewWebhookEndpoint {
  url: string;
  events: WebhookEvent[];
  secret: string;
}

/** An endpoint as the API shows it: never its secret. */
export type WebhookEndpointView = Pick<WebhookEndpointRow, 'id' | 'url' | 'events' | 'createdAt'>;

/** One entry of the delivery log: one attempt. */
export interface WebhookAttemptView {
  eventId: string;
  type: WebhookEvent;
  orderId: string | null;
  attempt: number;
  responseStatus: number | null;
  error: string | null;
  at: Date;
}

/** A delivery a dispatcher holds the lease of, with what it needs to send it. */
export interface ClaimedWebhookDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  eventId: string;
  type: WebhookEvent;
  orderId: string | null;
  data: Record<string, unknown>;
  eventAt: Date;
  /** The number of this attempt, from 1. */
  attempt: number;
  firstAttemptAt: Date;
}

export interface AttemptResult {
  responseStatus: number | null;
  error: string | null;
  /** DELIVERED, FAILED, or PENDING with the time of the next attempt. */
  status: Extract<WebhookDeliveryStatus, 'PENDING' | 'DELIVERED' | 'FAILED'>;
  nextAttemptAt: Date | null;
}

/** Endpoints, their deliveries and the delivery log. */
@Injectable()
export class WebhooksRepository {
  async insertEndpoint(db: Queryable, endpoint: NewWebhookEndpoint): Promise<WebhookEndpointView> {
    const [row] = await db.query<WebhookEndpointView>(
      `INSERT INTO webhook_endpoint (url, events, secret) VALUES ($1, $2::text[], $3) RETURNING ${ENDPOINT_VIEW}`,
      [endpoint.url, endpoint.events, endpoint.secret],
    );
    return row;
  }

  listEndpoints(db: Queryable, page: PageRequest): Promise<Page<WebhookEndpointView>> {
    return keysetPage<WebhookEndpointView>(
      db,
      { select: ENDPOINT_VIEW, from: 'webhook_endpoint', filters: ['deleted_at IS NULL'], params: [], direction: 'asc' },
      page,
    );
  }

  async endpointExists(db: Queryable, id: string): Promise<boolean> {
    const rows = await db.query('SELECT 1 FROM webhook_endpoint WHERE id = $1 AND deleted_at IS NULL', [id]);
    return rows.length > 0;
  }

  /** Marks the endpoint deleted and drops its pending deliveries, in one statement; false when there was no such endpoint. */
  async deleteEndpoint(db: Queryable, id: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      `WITH gone AS (UPDATE webhook_endpoint SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id),
            dropped AS (UPDATE webhook_delivery d SET status = 'DROPPED', locked_until = NULL, finished_at = now()
                          FROM gone WHERE d.endpoint_id = gone.id AND d.status = 'PENDING')
       SELECT id FROM gone`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * One delivery per event and endpoint subscribed to its topic, in the relay's transaction: the
   * deliveries exist exactly when the events are marked relayed. Orders' events carry the order.
   */
  async fanOut(tx: Queryable, eventIds: string[]): Promise<void> {
    await tx.query(
      `INSERT INTO webhook_delivery (endpoint_id, event_id, type, order_id, data, event_at)
       SELECT w.id, e.id, e.topic, CASE WHEN e.topic = ANY ($2::text[]) THEN e.aggregate_id END, e.payload, e.created_at
         FROM outbox_event e JOIN webhook_endpoint w ON w.deleted_at IS NULL AND e.topic = ANY (w.events)
        WHERE e.id = ANY ($1::bigint[]) AND e.topic = ANY ($3::text[])
        ORDER BY e.id, w.id
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [eventIds, ORDER_WEBHOOK_EVENTS, WEBHOOK_EVENTS],
    );
  }

  /**
   * Locks the active endpoints that have deliveries due and that no other dispatcher is claiming
   * for (SKIP LOCKED), until the caller's transaction ends.
   */
  async lockEndpointsWithDueDeliveries(tx: Queryable): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT w.id FROM webhook_endpoint w
        WHERE w.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.endpoint_id = w.id AND d.status = 'PENDING' AND d.next_attempt_at <= now())
        ORDER BY w.id
        FOR NO KEY UPDATE SKIP LOCKED`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Takes the lease of up to `limit` due deliveries of the endpoints, at most `perEndpoint` in
   * flight per endpoint counting the leases still running. Called after locking the endpoints, in
   * a statement of its own, so that it sees every claim committed for them before. A delivery of an
   * order is due only when no earlier event of that order waits: neither an earlier pending
   * delivery to the endpoint nor an event not yet relayed (a relay still committing it).
   */
  claimDue(tx: Queryable, endpointIds: string[], limit: number, perEndpoint: number, leaseMs: number): Promise<ClaimedWebhookDelivery[]> {
    return tx.query<ClaimedWebhookDelivery>(
      `WITH slots AS (
         SELECT e.id, GREATEST($3 - (SELECT count(*) FROM webhook_delivery d
                                      WHERE d.endpoint_id = e.id AND d.status = 'PENDING' AND d.locked_until IS NOT NULL AND d.locked_until > now()), 0) AS free
           FROM unnest($1::uuid[]) AS e(id)
       ), due AS (
         SELECT d.id FROM slots s CROSS JOIN LATERAL (
           SELECT d.id FROM webhook_delivery d
            WHERE d.endpoint_id = s.id AND d.status = 'PENDING' AND d.next_attempt_at <= now()
              AND (d.locked_until IS NULL OR d.locked_until <= now())
              AND (d.order_id IS NULL OR (
                NOT EXISTS (SELECT 1 FROM webhook_delivery p
                             WHERE p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.status = 'PENDING' AND p.event_id < d.event_id)
                AND NOT EXISTS (SELECT 1 FROM outbox_event o WHERE o.published_at IS NULL AND o.id < d.event_id AND o.aggregate_id = d.order_id)))
            ORDER BY d.next_attempt_at, d.id
            LIMIT s.free
         ) d
         LIMIT $2
       )
       UPDATE webhook_delivery d
          SET locked_until = now() + make_interval(secs => $4::float8 / 1000), attempts = d.attempts + 1,
              first_attempt_at = COALESCE(d.first_attempt_at, now())
         FROM webhook_endpoint w
        WHERE d.id = ANY (ARRAY(SELECT id FROM due)) AND w.id = d.endpoint_id
          AND d.status = 'PENDING' AND (d.locked_until IS NULL OR d.locked_until <= now())
       RETURNING d.id, d.endpoint_id AS "endpointId", w.url, w.secret, d.event_id AS "eventId", d.type, d.order_id AS "orderId", d.data,
                 d.event_at AS "eventAt", d.attempts AS attempt, d.first_attempt_at AS "firstAttemptAt"`,
      [endpointIds, limit, perEndpoint, leaseMs],
    );
  }

  /**
   * Logs the attempt and settles the delivery, releasing its lease. A dispatcher whose lease lapsed
   * (another has claimed the delivery again since) only logs: the delivery is the other's now.
   */
  async recordAttempt(db: Queryable, delivery: ClaimedWebhookDelivery, result: AttemptResult): Promise<void> {
    await db.query(
      `WITH attempt AS (
         INSERT INTO webhook_attempt (delivery_id, endpoint_id, attempt, response_status, error) VALUES ($1, $2, $3, $4, $5)
       )
       UPDATE webhook_delivery
          SET status = $6, next_attempt_at = COALESCE($7, next_attempt_at), locked_until = NULL,
              finished_at = CASE WHEN $6 = 'PENDING' THEN NULL ELSE now() END
        WHERE id = $1 AND attempts = $3 AND status = 'PENDING'`,
      [delivery.id, delivery.endpointId, delivery.attempt, result.responseStatus, result.error, result.status, result.nextAttemptAt],
    );
  }

  /** The endpoint's attempts, newest first. */
  attempts(db: Queryable, endpointId: string, limit: number): Promise<WebhookAttemptView[]> {
    return db.query<WebhookAttemptView>(
      `SELECT d.event_id AS "eventId", d.type, d.order_id AS "orderId", a.attempt, a.response_status AS "responseStatus", a.error, a.at
         FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id
        WHERE a.endpoint_id = $1
        ORDER BY a.id DESC
        LIMIT $2`,
      [endpointId, limit],
    );
  }
}
