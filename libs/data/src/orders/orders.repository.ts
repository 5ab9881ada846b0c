import { Injectable } from '@nestjs/common';
import { currentOutboxOrigin } from '@app/jobs';
import type { ShippingAddress } from '../entities/sales-order.entity';
import type { OrderStatus } from '../lifecycle/statuses';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { CatalogEntry, LineToPrice, MAX_ORDER_TOTAL, OrderLineInput } from './order-lines';
import { NewItemRow, ORDER_COLUMNS, ORDER_ITEM_COLUMNS, OrderItemRow, OrderRow } from './order.view';

/** Namespaces of pg_advisory_xact_lock(int, int): same-key requests queue instead of racing. */
const LOCK_IDEMPOTENCY_KEY = 1001;
const LOCK_EXTERNAL_ID = 1002;

export interface NewOrder {
  externalId?: string;
  customer: { email: string; name?: string };
  shippingAddress: ShippingAddress;
  apiKeyId: string;
  salesChannel: string;
}

export interface ReplayKeys {
  apiKeyId: string;
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

export interface InsertedOrder {
  order: OrderRow;
  /** The new items, priced, in line order. */
  items: NewItemRow[];
}

export interface IdempotencyRecord {
  orderId: string;
  requestHash: string;
}

/** SQL of orders, their items and idempotency records; the caller passes the transaction. */
@Injectable()
export class OrdersRepository {
  /**
   * Serialises requests with the same Idempotency-Key (per API key) or the same externalId (per
   * sales channel), then looks both up: two statements, because a lookup in the statement that
   * takes the locks would see a snapshot from before them.
   */
  async lockReplayKeys(tx: Queryable, keys: ReplayKeys): Promise<ReplayMatch> {
    const locks: string[] = [];
    const lockParams: unknown[] = [];
    if (keys.idempotencyKey !== undefined) {
      lockParams.push(`${keys.apiKeyId}:${keys.idempotencyKey}`);
      locks.push(`pg_advisory_xact_lock(${LOCK_IDEMPOTENCY_KEY}, hashtext($${lockParams.length}))`);
    }
    if (keys.externalId !== undefined) {
      lockParams.push(JSON.stringify([keys.salesChannel, keys.externalId]));
      locks.push(`pg_advisory_xact_lock(${LOCK_EXTERNAL_ID}, hashtext($${lockParams.length}))`);
    }
    if (locks.length === 0) return {};
    await tx.query(`SELECT ${locks.join(', ')}`, lockParams);
    const [match] = await tx.query<{ recordOrderId: string | null; requestHash: string | null; externalOrderId: string | null }>(
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

  async insertIdempotencyRecord(tx: Queryable, apiKeyId: string, key: string, requestHash: string, orderId: string): Promise<void> {
    await tx.query('INSERT INTO idempotency_record (api_key_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4)', [
      apiKeyId,
      key,
      requestHash,
      orderId,
    ]);
  }

  catalogFor(tx: Queryable, lines: OrderLineInput[]): Promise<CatalogEntry[]> {
    return tx.query<CatalogEntry>('SELECT id, sku, price, currency FROM product WHERE id = ANY($1::uuid[]) OR sku = ANY($2::text[])', [
      lines.flatMap((line) => (line.productId ? [line.productId] : [])),
      lines.flatMap((line) => (line.sku ? [line.sku] : [])),
    ]);
  }

  /**
   * Prices the lines from the catalog (by product id or SKU; the client's unit price wins) and, if
   * every line names a known product, all in one currency, and the total fits, inserts the order,
   * its items, its idempotency record (when a key was sent) and its `order.created` outbox event
   * (with the request's id and trace, for the brokering job) in one statement, and returns the
   * stored order with its items in line order: one round trip, no re-read. Returns undefined, having
   * inserted nothing, when the lines do not price (priceOrderLines says why).
   */
  async insertOrder(
    tx: Queryable,
    order: NewOrder,
    lines: LineToPrice[],
    idempotency?: { key: string; requestHash: string },
  ): Promise<InsertedOrder | undefined> {
    const origin = currentOutboxOrigin();
    const [inserted] = await tx.query<OrderRow & { items: NewItemRow[] }>(
      `WITH line AS (
         SELECT l.line_number, p.id AS product_id, p.sku, p.currency, l.quantity, COALESCE(l.unit_price, p.price) AS unit_price
           FROM unnest($7::int[], $8::uuid[], $9::text[], $10::int[], $11::numeric[]) AS l(line_number, product_id, sku, quantity, unit_price)
           LEFT JOIN product p ON p.id = COALESCE(l.product_id, (SELECT id FROM product WHERE sku = l.sku))
       ), priced AS (
         SELECT bool_and(product_id IS NOT NULL) AND count(DISTINCT currency) <= 1 AND sum(unit_price * quantity) <= $16::numeric AS ok,
                min(currency) AS currency, sum(unit_price * quantity) AS total
           FROM line
       ), new_order AS (
         INSERT INTO sales_order (external_id, status, customer_email, customer_name, shipping_address, currency, total, api_key_id, sales_channel)
         SELECT $1, 'CREATED', $2, $3, $4, priced.currency, priced.total, $5, $6 FROM priced WHERE priced.ok RETURNING *
       ), new_items AS (
         INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status)
         SELECT new_order.id, line.line_number, line.product_id, line.sku, line.quantity, line.unit_price, 'CREATED' FROM new_order, line
         RETURNING id, line_number, product_id, sku, quantity, unit_price
       ), idempotency AS (
         INSERT INTO idempotency_record (api_key_id, key, request_hash, order_id)
         SELECT $5, $12, $13, id FROM new_order WHERE $12::text IS NOT NULL
       ), created_event AS (
         INSERT INTO outbox_event (topic, aggregate_id, payload, request_id, traceparent)
         SELECT 'order.created', id, jsonb_build_object('orderId', id), $14::text, $15::text FROM new_order
       )
       SELECT ${ORDER_COLUMNS},
              (SELECT json_agg(json_build_object('id', id, 'productId', product_id, 'sku', sku, 'quantity', quantity, 'unitPrice', unit_price::text)
                               ORDER BY line_number) FROM new_items) AS items
         FROM new_order`,
      [
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
        origin.requestId,
        origin.traceparent,
        MAX_ORDER_TOTAL,
      ],
    );
    if (inserted === undefined) return undefined;
    const { items, ...row } = inserted;
    return { order: row, items };
  }

  async findById(db: Queryable, id: string): Promise<OrderRow | undefined> {
    const [order] = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM sales_order WHERE id = $1`, [id]);
    return order;
  }

  page(db: Queryable, filter: { status?: OrderStatus } & PageRequest): Promise<Page<OrderRow>> {
    const filters = filter.status === undefined ? [] : ['status = $1'];
    const params = filter.status === undefined ? [] : [filter.status];
    return keysetPage<OrderRow>(db, { select: ORDER_COLUMNS, from: 'sales_order', filters, params, direction: 'desc' }, filter);
  }

  itemsOf(db: Queryable, orderIds: string[]): Promise<OrderItemRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return db.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_number`, [
      orderIds,
    ]);
  }

  async lockStatus(tx: Queryable, id: string): Promise<OrderStatus | undefined> {
    const [order] = await tx.query<{ status: OrderStatus }>('SELECT status FROM sales_order WHERE id = $1 FOR UPDATE', [id]);
    return order?.status;
  }

  /** Locks every item of the order, by id (the global lock order). */
  lockItems(tx: Queryable, orderId: string): Promise<OrderItemRow[]> {
    return tx.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = $1 ORDER BY id FOR UPDATE`, [orderId]);
  }

  async facilityExists(tx: Queryable, facilityId: string): Promise<boolean> {
    const [found] = await tx.query('SELECT 1 FROM facility WHERE id = $1', [facilityId]);
    return found !== undefined;
  }
}
