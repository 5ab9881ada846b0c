import { Injectable } from '@nestjs/common';
import type { OrderItemStatus } from '../entities/order-item.entity';
import type { OrderStatus, ShippingAddress } from '../entities/sales-order.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import type { CatalogEntry, OrderLineInput, PricedLine } from './order-lines';
import { ORDER_COLUMNS, ORDER_ITEM_COLUMNS, OrderItemRow, OrderRow } from './order.view';

/** Namespaces of pg_advisory_xact_lock(int, int): same-key requests queue instead of racing. */
const LOCK_IDEMPOTENCY_KEY = 1001;
const LOCK_EXTERNAL_ID = 1002;
const OPEN_ITEM_STATUSES: OrderItemStatus[] = ['CREATED', 'ALLOCATED', 'BACKORDERED'];

export interface NewOrder {
  externalId?: string;
  customer: { email: string; name?: string };
  shippingAddress: ShippingAddress;
  currency: string;
  total: string;
  apiKeyId: string;
  salesChannel: string;
}

export interface IdempotencyRecord {
  orderId: string;
  requestHash: string;
}

/** SQL of orders, their items and idempotency records; the caller passes the transaction. */
@Injectable()
export class OrdersRepository {
  async lockIdempotencyKey(tx: Queryable, apiKeyId: string, key: string): Promise<IdempotencyRecord | undefined> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_IDEMPOTENCY_KEY, `${apiKeyId}:${key}`]);
    const [record] = await tx.query<IdempotencyRecord>(
      'SELECT order_id AS "orderId", request_hash AS "requestHash" FROM idempotency_record WHERE api_key_id = $1 AND key = $2',
      [apiKeyId, key],
    );
    return record;
  }

  /** External ids are unique per sales channel: channels number their orders independently. */
  async lockExternalId(tx: Queryable, salesChannel: string, externalId: string): Promise<string | undefined> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_EXTERNAL_ID, JSON.stringify([salesChannel, externalId])]);
    const [existing] = await tx.query<{ id: string }>('SELECT id FROM sales_order WHERE sales_channel = $1 AND external_id = $2', [
      salesChannel,
      externalId,
    ]);
    return existing?.id;
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

  async insertOrder(tx: Queryable, order: NewOrder, lines: PricedLine[]): Promise<string> {
    const [{ id }] = await tx.query<{ id: string }>(
      `INSERT INTO sales_order (external_id, status, customer_email, customer_name, shipping_address, currency, total, api_key_id, sales_channel)
       VALUES ($1, 'CREATED', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        order.externalId ?? null,
        order.customer.email,
        order.customer.name ?? null,
        JSON.stringify(order.shippingAddress),
        order.currency,
        order.total,
        order.apiKeyId,
        order.salesChannel,
      ],
    );
    await tx.query(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status)
       SELECT $1, *, 'CREATED' FROM unnest($2::int[], $3::uuid[], $4::text[], $5::int[], $6::numeric[])`,
      [
        id,
        lines.map((line) => line.lineNumber),
        lines.map((line) => line.productId),
        lines.map((line) => line.sku),
        lines.map((line) => line.quantity),
        lines.map((line) => line.unitPrice),
      ],
    );
    return id;
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

  async markCancelled(tx: Queryable, orderId: string): Promise<void> {
    await tx.query(`UPDATE order_item SET status = 'CANCELLED', updated_at = clock_timestamp() WHERE order_id = $1`, [orderId]);
    await tx.query(`UPDATE sales_order SET status = 'CANCELLED', updated_at = clock_timestamp() WHERE id = $1`, [orderId]);
  }

  /** Marks items SHIPPED; the caller has locked them (lockItems). */
  async markShipped(tx: Queryable, itemIds: string[]): Promise<void> {
    await tx.query(`UPDATE order_item SET status = 'SHIPPED', updated_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [itemIds]);
  }

  async completeIfNothingOpen(tx: Queryable, orderId: string): Promise<void> {
    await tx.query(
      `UPDATE sales_order SET status = 'COMPLETED', updated_at = clock_timestamp()
        WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM order_item WHERE order_id = $1 AND status = ANY($2::text[]))`,
      [orderId, OPEN_ITEM_STATUSES],
    );
  }

  async facilityExists(tx: Queryable, facilityId: string): Promise<boolean> {
    const [found] = await tx.query('SELECT 1 FROM facility WHERE id = $1', [facilityId]);
    return found !== undefined;
  }
}
