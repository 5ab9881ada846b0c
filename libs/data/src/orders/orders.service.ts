import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { requestFingerprint } from '../common/canonical-json';
import { Database } from '../database/database';
import type { OrderItemStatus } from '../entities/order-item.entity';
import type { OrderStatus, ShippingAddress } from '../entities/sales-order.entity';
import { appendLedger } from '../inventory/inventory-ledger';
import { enqueueEvent } from '../outbox/outbox';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import { CatalogEntry, OrderLineInput, priceOrderLines } from './order-lines';
import { ORDER_COLUMNS, ORDER_ITEM_COLUMNS, OrderItemView, OrderRow, OrderView, toOrderView } from './order.view';

export interface CreateOrderInput {
  externalId?: string;
  customer: { email: string; name?: string };
  shippingAddress: ShippingAddress;
  items: OrderLineInput[];
}

export interface Requester {
  apiKeyId: string;
  idempotencyKey?: string;
}

export interface Fulfillment {
  orderId: string;
  facilityId: string;
  shippedItemIds: string[];
  order: OrderView;
}

/** Namespaces of pg_advisory_xact_lock(int, int): same-key requests queue instead of racing. */
const LOCK_IDEMPOTENCY_KEY = 1001;
const LOCK_EXTERNAL_ID = 1002;
const OPEN_ITEM_STATUSES: OrderItemStatus[] = ['CREATED', 'ALLOCATED', 'BACKORDERED'];

type OrderItemRow = OrderItemView & { orderId: string };

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly reads: ReadRouter,
  ) {}

  /**
   * Creates the order, its items and its `order.created` outbox event in one transaction. The same
   * Idempotency-Key (per API key) or the same externalId gives back the order created first.
   */
  async create(input: CreateOrderInput, requester: Requester): Promise<{ order: OrderView; created: boolean }> {
    const fingerprint = requestFingerprint(input);
    const outcome = await this.db.transaction(async (tx) => {
      const replay = await this.findReplay(tx, input, requester, fingerprint);
      if (replay) return { orderId: replay, created: false };

      const catalog = await tx.query<CatalogEntry>(
        'SELECT id, sku, price, currency FROM product WHERE id = ANY($1::uuid[]) OR sku = ANY($2::text[])',
        [input.items.flatMap((i) => (i.productId ? [i.productId] : [])), input.items.flatMap((i) => (i.sku ? [i.sku] : []))],
      );
      const priced = priceOrderLines(input.items, catalog);
      const [{ id: orderId }] = await tx.query<{ id: string }>(
        `INSERT INTO sales_order (external_id, status, customer_email, customer_name, shipping_address, currency, total, api_key_id)
         VALUES ($1, 'CREATED', $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.externalId ?? null, input.customer.email, input.customer.name ?? null, JSON.stringify(input.shippingAddress), priced.currency, priced.total, requester.apiKeyId],
      );
      await tx.query(
        `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status)
         SELECT $1, * , 'CREATED' FROM unnest($2::int[], $3::uuid[], $4::text[], $5::int[], $6::numeric[])`,
        [
          orderId,
          priced.lines.map((l) => l.lineNumber),
          priced.lines.map((l) => l.productId),
          priced.lines.map((l) => l.sku),
          priced.lines.map((l) => l.quantity),
          priced.lines.map((l) => l.unitPrice),
        ],
      );
      await this.rememberIdempotencyKey(tx, requester, fingerprint, orderId);
      await enqueueEvent(tx, 'order.created', orderId, { orderId });
      return { orderId, created: true };
    });
    return { order: await this.get(outcome.orderId), created: outcome.created };
  }

  async get(id: string): Promise<OrderView> {
    const [order] = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM sales_order WHERE id = $1`, [id]);
    if (!order) throw new NotFoundException(`order ${id} not found`);
    return toOrderView(order, await this.itemsOf(this.db, [id]));
  }

  async list(filter: { status?: OrderStatus } & PageRequest, clientId?: string): Promise<Page<OrderView>> {
    const db = await this.reads.forListRead(clientId);
    const filters = filter.status === undefined ? [] : ['status = $1'];
    const params = filter.status === undefined ? [] : [filter.status];
    const page = await keysetPage<OrderRow>(db, { select: ORDER_COLUMNS, from: 'sales_order', filters, params, direction: 'desc' }, filter);
    const items = await this.itemsOf(db, page.items.map((order) => order.id));
    return { items: page.items.map((order) => toOrderView(order, items)), nextCursor: page.nextCursor };
  }

  /** Cancels the order and releases what it reserved; refused once anything has shipped. */
  async cancel(id: string, actor: string, reason = 'order cancelled'): Promise<OrderView> {
    await this.db.transaction(async (tx) => {
      const status = await this.lockOrder(tx, id);
      if (status === 'CANCELLED') return;
      const items = await tx.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = $1 FOR UPDATE`, [id]);
      if (items.some((item) => item.status === 'SHIPPED')) throw new ConflictException(`order ${id} has shipped items and cannot be cancelled`);
      for (const item of items.filter((i) => i.status === 'ALLOCATED')) {
        await tx.query(
          `UPDATE inventory_item SET quantity_reserved = quantity_reserved - $3, updated_at = clock_timestamp()
            WHERE facility_id = $1 AND product_id = $2`,
          [item.facilityId, item.productId, item.quantity],
        );
        await appendLedger(tx, {
          facilityId: item.facilityId!,
          productId: item.productId,
          onHandDelta: 0,
          reservedDelta: -item.quantity,
          reason,
          actor,
          orderId: id,
        });
      }
      await tx.query(`UPDATE order_item SET status = 'CANCELLED', updated_at = clock_timestamp() WHERE order_id = $1`, [id]);
      await tx.query(`UPDATE sales_order SET status = 'CANCELLED', updated_at = clock_timestamp() WHERE id = $1`, [id]);
      await enqueueEvent(tx, 'order.cancelled', id, { orderId: id });
    });
    return this.get(id);
  }

  /** Ships every item allocated to the facility: reservation and on-hand both drop. */
  async fulfill(id: string, facilityId: string, actor: string): Promise<Fulfillment> {
    const shippedItemIds = await this.db.transaction(async (tx) => {
      const status = await this.lockOrder(tx, id);
      if (status === 'CANCELLED') throw new ConflictException(`order ${id} is cancelled`);
      const [facility] = await tx.query('SELECT 1 FROM facility WHERE id = $1', [facilityId]);
      if (!facility) throw new NotFoundException(`facility ${facilityId} not found`);
      const shipped = await tx.query<OrderItemRow>(
        `UPDATE order_item SET status = 'SHIPPED', updated_at = clock_timestamp()
          WHERE order_id = $1 AND facility_id = $2 AND status = 'ALLOCATED' RETURNING ${ORDER_ITEM_COLUMNS}`,
        [id, facilityId],
      );
      if (shipped.length === 0) throw new ConflictException(`order ${id} has no item allocated to facility ${facilityId}`);
      for (const item of shipped) {
        await tx.query(
          `UPDATE inventory_item SET quantity_on_hand = quantity_on_hand - $3, quantity_reserved = quantity_reserved - $3,
                  updated_at = clock_timestamp()
            WHERE facility_id = $1 AND product_id = $2`,
          [facilityId, item.productId, item.quantity],
        );
        await appendLedger(tx, {
          facilityId,
          productId: item.productId,
          onHandDelta: -item.quantity,
          reservedDelta: -item.quantity,
          reason: 'shipped',
          actor,
          orderId: id,
        });
      }
      await tx.query(
        `UPDATE sales_order SET status = 'COMPLETED', updated_at = clock_timestamp()
          WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM order_item WHERE order_id = $1 AND status = ANY($2::text[]))`,
        [id, OPEN_ITEM_STATUSES],
      );
      await enqueueEvent(tx, 'order.fulfilled', id, { orderId: id, facilityId });
      return shipped.map((item) => item.id);
    });
    return { orderId: id, facilityId, shippedItemIds, order: await this.get(id) };
  }

  private async findReplay(tx: Queryable, input: CreateOrderInput, requester: Requester, fingerprint: string): Promise<string | undefined> {
    if (requester.idempotencyKey !== undefined) {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_IDEMPOTENCY_KEY, `${requester.apiKeyId}:${requester.idempotencyKey}`]);
      const [record] = await tx.query<{ orderId: string; requestHash: string }>(
        'SELECT order_id AS "orderId", request_hash AS "requestHash" FROM idempotency_record WHERE api_key_id = $1 AND key = $2',
        [requester.apiKeyId, requester.idempotencyKey],
      );
      if (record) {
        if (record.requestHash !== fingerprint) {
          throw new UnprocessableEntityException('Idempotency-Key was already used with a different request body');
        }
        return record.orderId;
      }
    }
    if (input.externalId !== undefined) {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_EXTERNAL_ID, input.externalId]);
      const [existing] = await tx.query<{ id: string }>('SELECT id FROM sales_order WHERE external_id = $1', [input.externalId]);
      if (existing) {
        await this.rememberIdempotencyKey(tx, requester, fingerprint, existing.id);
        return existing.id;
      }
    }
    return undefined;
  }

  private async rememberIdempotencyKey(tx: Queryable, requester: Requester, fingerprint: string, orderId: string): Promise<void> {
    if (requester.idempotencyKey === undefined) return;
    await tx.query('INSERT INTO idempotency_record (api_key_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4)', [
      requester.apiKeyId,
      requester.idempotencyKey,
      fingerprint,
      orderId,
    ]);
  }

  private async lockOrder(tx: Queryable, id: string): Promise<OrderStatus> {
    const [order] = await tx.query<{ status: OrderStatus }>('SELECT status FROM sales_order WHERE id = $1 FOR UPDATE', [id]);
    if (!order) throw new NotFoundException(`order ${id} not found`);
    return order.status;
  }

  private itemsOf(db: Queryable, orderIds: string[]): Promise<OrderItemRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return db.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_number`, [
      orderIds,
    ]);
  }
}
