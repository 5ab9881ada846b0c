import { Injectable } from '@nestjs/common';
import type { OrderHistoryType } from '../entities/order-history-entry.entity';
import type { HoldReason } from '../approval/hold-reasons';
import { violatesConstraint } from '../common/postgres-errors';
import type { ShippingAddress } from '../entities/sales-order.entity';
import type { OrderStatus } from '../lifecycle/statuses';
import { outboxInsert } from '../outbox/outbox-insert';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { BROKERING_QUEUE } from '../routing/routing-config';
import type { OrderFields, PickupFacilityVerdict } from './order-fields';
import { LineToPrice, MAX_ORDER_TOTAL, PricingVerdict } from './order-lines';
import type { EditableField, EditableOrder } from './order-edit';
import { NewItemRow, ORDER_COLUMNS, ORDER_ITEM_COLUMNS, OrderItemRow, OrderRow } from './order.view';

export interface NewOrder extends OrderFields {
  externalId?: string;
  /** The currency the lines must be priced in, when the channel named one. */
  currency?: string;
  customer: { email: string; name?: string };
  shippingAddress: ShippingAddress;
  apiKeyId: string | null;
  salesChannel: string;
}

/**
 * An approval rule whose conditions other than the total already hold for the new order: the
 * order is held with its reason when its total (known only once the statement prices the lines)
 * is at least `orderTotalAtLeast` (null: any total). The first candidate that holds wins.
 */
export interface CandidateHold {
  orderTotalAtLeast: string | null;
  holdReason: HoldReason;
}

export interface ReplayKeys {
  apiKeyId: string | null;
  idempotencyKey?: string;
  salesChannel: string;
  externalId?: string;
}

export interface ReplayMatch {
  /** The order an earlier request with this Idempotency-Key created, and that request's fingerprint. */
  record?: IdempotencyRecord;
  /** The channel's order with this externalId. */
  externalOrderId?: string;
}

/** An Idempotency-Key as sent, with the fingerprint of the request body it came with. */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

export interface IdempotencyRecord {
  orderId: string;
  requestHash: string;
}

/** Why the order-insert statement refused an order: its lines do not price, or its pickup facility does not do pickup. */
export interface OrderVerdict extends PricingVerdict {
  pickupFacility: PickupFacilityVerdict;
}

/** What the order-insert statement did. */
export type OrderInsert =
  /** The new order, stored, with its items priced, in line order. */
  | { outcome: 'created'; order: OrderRow; items: NewItemRow[] }
  /** Nothing inserted: the Idempotency-Key or the externalId already has an order (a replay). */
  | { outcome: 'taken' }
  /** Nothing inserted: the order is refused, for the reasons of the verdict. */
  | { outcome: 'refused'; verdict: OrderVerdict };

/**
 * An idempotency record's order must exist at the end of the statement that claims the key. It
 * does not when the claim won but another request committed an order with the same externalId
 * after the statement began: the database then refuses the whole statement, which inserted nothing.
 */
const CLAIMED_KEY_WITHOUT_ORDER = 'idempotency_record_order_id_fkey';

/** The insert statement's one row: the order's columns are null when it inserted nothing. */
type StatementRow = Omit<OrderRow, 'id'> & { id: string | null; items: NewItemRow[]; taken: boolean } & OrderVerdict;

/** SQL of orders, their items and idempotency records; the caller passes the transaction. */
/** One entry of an order's history, as the API shows it (absent fields name nothing). */
export interface OrderHistoryView {
  at: Date;
  type: OrderHistoryType;
  itemId?: string;
  facilityId?: string;
  reason?: string;
  note?: string;
  /** On allocations: the routing group, routing and rule that made it. */
  routing?: { groupId: string; routingId: string; ruleId: string };
  /** On RETURN_RECEIVED entries: the return received. */
  returnId?: string;
  /** On PROMISED entries: the purchase order the item is now promised against (absent: the promise ended). */
  purchaseOrderId?: string;
}

/** What an order list may be narrowed to; each filter left out keeps every order. */
export interface OrderFilter {
  status?: OrderStatus;
  salesChannel?: string;
  externalId?: string;
  /** Orders that carry this tag. */
  tag?: string;
}

@Injectable()
export class OrdersRepository {
  /**
   * Prices the lines from the catalog (by product id or SKU; the client's unit price wins) and, if
   * every line names a known product, all in one currency, the total fits and the pickup facility
   * (if any) does pickup, inserts the order, its items (waiting to be brokered), its history
   * (CREATED, then APPROVED, or HELD with the reason of the first candidate hold its total meets), its idempotency record (when
   * a key was sent) and its `order.created` outbox event in one statement, and returns the stored
   * order with its items: one round trip, no re-read.
   *
   * Exactly once without locks: the key is claimed first (the record's primary key, ON CONFLICT
   * DO NOTHING), the order is inserted only under a claim won, and the channel's externalId is
   * unique (ON CONFLICT DO NOTHING again). A request that finds either taken, by an order committed
   * before it or concurrently (ON CONFLICT waits for that transaction), inserts nothing and is told
   * so; so is one whose key or externalId already has an order while its lines no longer price
   * (or its pickup facility no longer does pickup), since a replay answers before the catalog does.
   */
  async insertOrder(
    db: Queryable,
    order: NewOrder,
    lines: LineToPrice[],
    idempotency?: IdempotencyKey,
    holds: CandidateHold[] = [],
  ): Promise<OrderInsert> {
    const event = outboxInsert(`SELECT 'order.created', id, jsonb_build_object('orderId', id) FROM new_order`, 24);
    const params = [
      order.externalId ?? null,
      order.customer.email,
      order.customer.name ?? null,
      JSON.stringify(order.shippingAddress),
      order.apiKeyId,
      order.salesChannel,
      lines.map((line) => line.lineNumber),
      lines.map((line) => line.productId),
      lines.map((line) => line.sku),
      lines.map((line) => line.quantity),
      lines.map((line) => line.unitPrice),
      idempotency?.key ?? null,
      idempotency?.requestHash ?? null,
      MAX_ORDER_TOTAL,
      order.shippingMethod,
      order.pickupFacilityId,
      order.priority,
      order.promiseDate,
      order.tags,
      BROKERING_QUEUE,
      holds.map((hold) => hold.orderTotalAtLeast),
      holds.map((hold) => hold.holdReason),
      order.currency ?? null,
      ...event.params,
    ];
    const [row] = await db
      .query<StatementRow>(
        `WITH line AS (
           SELECT l.line_number, p.id AS product_id, p.sku, p.currency, l.quantity, COALESCE(l.unit_price, p.price) AS unit_price
             FROM unnest($7::int[], $8::uuid[], $9::text[], $10::int[], $11::numeric[]) AS l(line_number, product_id, sku, quantity, unit_price)
             LEFT JOIN product p ON p.id = COALESCE(l.product_id, (SELECT id FROM product WHERE sku = l.sku))
         ), verdict AS (
           SELECT COALESCE(array_agg(line_number ORDER BY line_number) FILTER (WHERE product_id IS NULL), '{}') AS unknown_lines,
                  (SELECT COALESCE(array_agg(currency::text ORDER BY first_line), '{}')
                     FROM (SELECT currency, min(line_number) AS first_line FROM line WHERE product_id IS NOT NULL GROUP BY currency) AS c) AS currencies,
                  sum(unit_price * quantity) AS total
             FROM line
         ), pickup AS (
           SELECT CASE WHEN $16::uuid IS NULL THEN NULL WHEN f.id IS NULL THEN 'unknown' WHEN NOT f.can_pickup THEN 'no-pickup' END AS refusal
             FROM (SELECT 1) AS one LEFT JOIN facility f ON f.id = $16::uuid
         ), accepted AS (
           SELECT currencies[1] AS currency, total FROM verdict, pickup
            WHERE cardinality(unknown_lines) = 0 AND cardinality(currencies) = 1 AND total <= $14::numeric AND pickup.refusal IS NULL
              AND ($23::text IS NULL OR currencies[1] = $23::text)
         ), hold AS (
           SELECT (SELECT h.reason FROM unnest($21::numeric[], $22::text[]) WITH ORDINALITY AS h(total_at_least, reason, n)
                    WHERE h.total_at_least IS NULL OR accepted.total >= h.total_at_least ORDER BY h.n LIMIT 1) AS reason
             FROM accepted
         ), external_order AS (
           SELECT 1 FROM sales_order WHERE sales_channel = $6 AND external_id = $1
         ), new_id AS MATERIALIZED (
           SELECT gen_random_uuid() AS id
         ), claim AS (
           INSERT INTO idempotency_record (api_key_id, key, request_hash, order_id)
           SELECT $5, $12, $13, new_id.id FROM new_id, accepted WHERE $12::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM external_order)
           ON CONFLICT DO NOTHING
           RETURNING order_id
         ), new_order AS (
           INSERT INTO sales_order (id, external_id, status, customer_email, customer_name, shipping_address, currency, total, api_key_id, sales_channel,
                                    shipping_method, pickup_facility_id, priority, promise_date, tags, hold_reason, held_since)
           SELECT new_id.id, $1, CASE WHEN hold.reason IS NULL THEN 'APPROVED' ELSE 'HELD' END, $2, $3, $4, accepted.currency, accepted.total, $5, $6,
                  $15, $16, $17, $18, $19, hold.reason, CASE WHEN hold.reason IS NOT NULL THEN now() END
             FROM new_id, accepted, hold
            WHERE $12::text IS NULL OR EXISTS (SELECT 1 FROM claim)
           ON CONFLICT (sales_channel, external_id) DO NOTHING
           RETURNING *
         ), new_items AS (
           INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
           SELECT new_order.id, line.line_number, line.product_id, line.sku, line.quantity, line.unit_price, 'CREATED', $20 FROM new_order, line
           RETURNING id, line_number, product_id, sku, quantity, unit_price
         ), created_history AS (
           INSERT INTO order_history (order_id, type, reason)
           SELECT id, entry.type, CASE WHEN entry.type = 'HELD' THEN hold_reason END
             FROM new_order, (VALUES (1, 'CREATED'), (2, 'APPROVED'), (2, 'HELD')) AS entry(n, type)
            WHERE entry.n = 1 OR entry.type = new_order.status ORDER BY entry.n
         ), created_event AS (${event.sql})
         SELECT o.*,
                o.id IS NULL AND (EXISTS (SELECT 1 FROM accepted) OR EXISTS (SELECT 1 FROM external_order)
                                  OR EXISTS (SELECT 1 FROM idempotency_record WHERE api_key_id = $5 AND key = $12)) AS taken,
                verdict.unknown_lines AS "unknownLines", verdict.currencies, pickup.refusal AS "pickupFacility"
           FROM verdict, pickup
           LEFT JOIN (SELECT ${ORDER_COLUMNS},
                             (SELECT json_agg(json_build_object('id', id, 'productId', product_id, 'sku', sku, 'quantity', quantity, 'unitPrice', unit_price::text)
                                              ORDER BY line_number) FROM new_items) AS items
                        FROM new_order) AS o ON true`,
        params,
      )
      .catch((error: unknown): StatementRow[] => {
        if (violatesConstraint(error, CLAIMED_KEY_WITHOUT_ORDER)) return [];
        throw error;
      });
    if (row === undefined) return { outcome: 'taken' };
    const { id, items, taken, unknownLines, currencies, pickupFacility, ...stored } = row;
    if (id !== null) return { outcome: 'created', order: { id, ...stored }, items };
    return taken ? { outcome: 'taken' } : { outcome: 'refused', verdict: { unknownLines, currencies, pickupFacility } };
  }

  /** The order an Idempotency-Key (per API key) or an externalId (per sales channel) already has, if any. */
  async findReplay(db: Queryable, keys: ReplayKeys): Promise<ReplayMatch> {
    const [match] = await db.query<{ recordOrderId: string | null; requestHash: string | null; externalOrderId: string | null }>(
      `SELECT r.order_id AS "recordOrderId", r.request_hash AS "requestHash",
              (SELECT id FROM sales_order WHERE sales_channel = $3 AND external_id = $4) AS "externalOrderId"
         FROM (SELECT 1) AS one
         LEFT JOIN idempotency_record r ON r.api_key_id = $1 AND r.key = $2`,
      [keys.apiKeyId, keys.idempotencyKey ?? null, keys.salesChannel, keys.externalId ?? null],
    );
    return {
      record: match.recordOrderId === null ? undefined : { orderId: match.recordOrderId, requestHash: match.requestHash! },
      externalOrderId: match.externalOrderId ?? undefined,
    };
  }

  /** Records the key for an existing order; false when the key has an order already (claimed concurrently). */
  async rememberIdempotencyKey(db: Queryable, apiKeyId: string, idempotency: IdempotencyKey, orderId: string): Promise<boolean> {
    const inserted = await db.query(
      'INSERT INTO idempotency_record (api_key_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key',
      [apiKeyId, idempotency.key, idempotency.requestHash, orderId],
    );
    return inserted.length > 0;
  }

  async findById(db: Queryable, id: string): Promise<OrderRow | undefined> {
    const [order] = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM sales_order WHERE id = $1`, [id]);
    return order;
  }

  /** A page of orders, of the given channels only unless `channels` is null. */
  page(db: Queryable, filter: OrderFilter & { channels: readonly string[] | null } & PageRequest): Promise<Page<OrderRow>> {
    const filters: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) filters.push(`status = $${params.push(filter.status)}`);
    if (filter.salesChannel !== undefined) filters.push(`sales_channel = $${params.push(filter.salesChannel)}`);
    if (filter.externalId !== undefined) filters.push(`external_id = $${params.push(filter.externalId)}`);
    if (filter.tag !== undefined) filters.push(`tags @> ARRAY[$${params.push(filter.tag)}::text]`);
    if (filter.channels !== null) filters.push(`sales_channel = ANY($${params.push(filter.channels)}::text[])`);
    return keysetPage<OrderRow>(db, { select: ORDER_COLUMNS, from: 'sales_order', filters, params, direction: 'desc' }, filter);
  }

  itemsOf(db: Queryable, orderIds: string[]): Promise<OrderItemRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return db.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_number`, [
      orderIds,
    ]);
  }

  /** The order's history, oldest first; entries leave out what they do not name. */
  async historyOf(db: Queryable, orderId: string): Promise<OrderHistoryView[]> {
    const rows = await db.query<Record<keyof OrderHistoryView, unknown>>(
      `SELECT at, type, item_id AS "itemId", facility_id AS "facilityId", reason, note, return_id AS "returnId",
              purchase_order_id AS "purchaseOrderId", CASE WHEN routing_rule_id IS NOT NULL
                   THEN json_build_object('groupId', routing_group_id, 'routingId', routing_id, 'ruleId', routing_rule_id) END AS routing
         FROM order_history WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as unknown as OrderHistoryView);
  }

  async lockStatus(tx: Queryable, id: string): Promise<{ status: OrderStatus; salesChannel: string } | undefined> {
    const [order] = await tx.query<{ status: OrderStatus; salesChannel: string }>(
      'SELECT status, sales_channel AS "salesChannel" FROM sales_order WHERE id = $1 FOR UPDATE',
      [id],
    );
    return order;
  }

  /** Locks every item of the order, by id (the global lock order). */
  lockItems(tx: Queryable, orderId: string): Promise<OrderItemRow[]> {
    return tx.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = $1 ORDER BY id FOR UPDATE`, [orderId]);
  }

  /** Sets the hold the order is in (since now), or clears it (null). */
  async setHold(tx: Queryable, id: string, hold: { reason: HoldReason; note: string | null } | null): Promise<void> {
    await tx.query(
      `UPDATE sales_order SET hold_reason = $2, hold_note = $3, held_since = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE id = $1`,
      [id, hold?.reason ?? null, hold?.note ?? null],
    );
  }

  /** Stores the order's edited fields and the EDITED history entry that names them (its reason: the changed fields, comma-separated). */
  async applyEdit(tx: Queryable, id: string, fields: EditableOrder, changed: EditableField[]): Promise<void> {
    await tx.query(
      `UPDATE sales_order SET shipping_address = $2, shipping_method = $3, pickup_facility_id = $4, priority = $5, promise_date = $6, tags = $7
        WHERE id = $1`,
      [id, JSON.stringify(fields.shippingAddress), fields.shippingMethod, fields.pickupFacilityId, fields.priority, fields.promiseDate, fields.tags],
    );
    await tx.query(`INSERT INTO order_history (order_id, type, reason) VALUES ($1, 'EDITED', $2)`, [id, changed.join(', ')]);
  }

  /** Why this facility cannot be an order's pickup facility, if it cannot (the order-insert statement's own check). */
  async pickupFacilityVerdict(tx: Queryable, facilityId: string): Promise<PickupFacilityVerdict> {
    const [facility] = await tx.query<{ canPickup: boolean }>('SELECT can_pickup AS "canPickup" FROM facility WHERE id = $1', [facilityId]);
    if (facility === undefined) return 'unknown';
    return facility.canPickup ? null : 'no-pickup';
  }

  async facilityExists(tx: Queryable, facilityId: string): Promise<boolean> {
    const [found] = await tx.query('SELECT 1 FROM facility WHERE id = $1', [facilityId]);
    return found !== undefined;
  }
}
