import { Injectable } from '@nestjs/common';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import type { PurchaseOrderStatus } from './supply-statuses';

export interface PurchaseOrderLineView {
  lineNumber: number;
  productId: string;
  sku: string;
  quantity: number;
  receivedQuantity: number;
  /** Ordered and not received yet (0 once the purchase order is no longer OPEN). */
  openQuantity: number;
  /** Units of waiting order items promised against this line. */
  promisedQuantity: number;
}

export interface ReceiptView {
  id: string;
  /** The delivery's reference, if the receipt gave one. */
  externalId: string | null;
  receivedAt: Date;
  actor: string;
  items: { productId: string; quantity: number }[];
}

export interface PurchaseOrderView {
  id: string;
  externalId: string | null;
  facilityId: string;
  expectedDate: string;
  status: PurchaseOrderStatus;
  createdAt: Date;
  closedAt: Date | null;
  items: PurchaseOrderLineView[];
  receipts: ReceiptView[];
}

export type PurchaseOrderSummary = Omit<PurchaseOrderView, 'receipts'>;

export interface NewPurchaseOrder {
  externalId?: string;
  facilityId: string;
  expectedDate: string;
  items: { productId: string | null; sku: string | null; quantity: number }[];
  createdBy: string;
}

export interface NewReceipt {
  purchaseOrderId: string;
  facilityId: string;
  externalId?: string;
  items: { productId: string; quantity: number }[];
  actor: string;
}

/** A locked purchase order with its lines, as a receipt or a change checks them. */
export interface LockedPurchaseOrder {
  id: string;
  facilityId: string;
  status: PurchaseOrderStatus;
  lines: { productId: string; quantity: number; receivedQuantity: number }[];
}

export interface PurchaseOrderFilter {
  status?: PurchaseOrderStatus;
  facilityId?: string;
  productId?: string;
}

const SUMMARY_SELECT = `SELECT po.id, po.external_id AS "externalId", po.facility_id AS "facilityId",
    to_char(po.expected_date, 'YYYY-MM-DD') AS "expectedDate", po.status, po.created_at AS "createdAt", po.closed_at AS "closedAt",
    (SELECT json_agg(json_build_object(
              'lineNumber', pi.line_number, 'productId', pi.product_id, 'sku', p.sku, 'quantity', pi.quantity,
              'receivedQuantity', pi.received_quantity,
              'openQuantity', CASE WHEN po.status = 'OPEN' THEN pi.quantity - pi.received_quantity ELSE 0 END,
              'promisedQuantity', (SELECT COALESCE(sum(oi.quantity), 0) FROM order_item oi
                                    WHERE oi.promised_purchase_order_id = po.id AND oi.product_id = pi.product_id))
            ORDER BY pi.line_number)
       FROM purchase_order_item pi JOIN product p ON p.id = pi.product_id WHERE pi.purchase_order_id = po.id) AS items`;

const RECEIPTS_SELECT = `COALESCE((SELECT json_agg(json_build_object(
      'id', r.id, 'externalId', r.external_id, 'receivedAt', r.received_at, 'actor', r.actor,
      'items', (SELECT json_agg(json_build_object('productId', ri.product_id, 'quantity', ri.quantity) ORDER BY ri.product_id)
                  FROM purchase_order_receipt_item ri WHERE ri.receipt_id = r.id))
    ORDER BY r.received_at, r.id) FROM purchase_order_receipt r WHERE r.purchase_order_id = po.id), '[]') AS receipts`;

/** SQL of purchase orders, their lines and receipts; the caller passes the connection or transaction. */
@Injectable()
export class PurchaseOrdersRepository {
  /**
   * Inserts the purchase order and its lines, each line's product found by id or SKU. Returns the
   * id and the lines' products, or the numbers (from 1) of the lines whose product is unknown (and
   * inserts nothing).
   */
  async insert(tx: Queryable, order: NewPurchaseOrder): Promise<{ id: string; productIds: string[] } | { unknownLines: number[] }> {
    const [row] = await tx.query<{ id: string | null; productIds: string[]; unknownLines: number[] | null }>(
      `WITH line AS (
         SELECT l.n AS line_number, p.id AS product_id, l.quantity
           FROM unnest($5::uuid[], $6::text[], $7::int[]) WITH ORDINALITY AS l(product_id, sku, quantity, n)
           LEFT JOIN product p ON p.id = COALESCE(l.product_id, (SELECT id FROM product WHERE sku = l.sku))
       ), unknown AS (
         SELECT array_agg(line_number::int ORDER BY line_number) AS lines FROM line WHERE product_id IS NULL
       ), inserted AS (
         INSERT INTO purchase_order (external_id, facility_id, expected_date, created_by)
         SELECT $1, $2, $3::date, $4 WHERE (SELECT lines FROM unknown) IS NULL
         RETURNING id
       ), items AS (
         INSERT INTO purchase_order_item (purchase_order_id, line_number, product_id, quantity)
         SELECT inserted.id, line.line_number, line.product_id, line.quantity FROM inserted, line
       )
       SELECT (SELECT id FROM inserted) AS id, (SELECT array_agg(product_id) FROM line) AS "productIds", (SELECT lines FROM unknown) AS "unknownLines"`,
      [
        order.externalId ?? null,
        order.facilityId,
        order.expectedDate,
        order.createdBy,
        order.items.map((item) => item.productId),
        order.items.map((item) => item.sku),
        order.items.map((item) => item.quantity),
      ],
    );
    return row.id !== null ? { id: row.id, productIds: row.productIds } : { unknownLines: row.unknownLines ?? [] };
  }

  async findIdByExternalId(db: Queryable, externalId: string): Promise<string | undefined> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM purchase_order WHERE external_id = $1', [externalId]);
    return row?.id;
  }

  async find(db: Queryable, id: string): Promise<PurchaseOrderView | undefined> {
    const [row] = await db.query<PurchaseOrderView>(`${SUMMARY_SELECT}, ${RECEIPTS_SELECT} FROM purchase_order po WHERE po.id = $1`, [id]);
    return row;
  }

  page(db: Queryable, filter: PurchaseOrderFilter & PageRequest): Promise<Page<PurchaseOrderSummary>> {
    const filters: string[] = [];
    const params: unknown[] = [];
    const add = (condition: (n: number) => string, value: unknown) => {
      params.push(value);
      filters.push(condition(params.length));
    };
    if (filter.status !== undefined) add((n) => `status = $${n}`, filter.status);
    if (filter.facilityId !== undefined) add((n) => `facility_id = $${n}`, filter.facilityId);
    if (filter.productId !== undefined)
      add((n) => `EXISTS (SELECT 1 FROM purchase_order_item pi WHERE pi.purchase_order_id = po.id AND pi.product_id = $${n})`, filter.productId);
    return keysetPage<PurchaseOrderSummary>(
      db,
      { select: SUMMARY_SELECT.replace(/^SELECT /, ''), from: 'purchase_order po', filters, params, direction: 'desc' },
      filter,
    );
  }

  /**
   * Locks the purchase order's row (lock order 1a), then reads its lines in a statement of their
   * own: one that waited for the lock would read them as of before the receipt it waited for.
   * NO KEY UPDATE: promises and history rows that name the purchase order (foreign keys, which
   * take a key-share lock) are written meanwhile by other transactions.
   */
  async lock(tx: Queryable, id: string): Promise<LockedPurchaseOrder | undefined> {
    const [row] = await tx.query<Omit<LockedPurchaseOrder, 'lines'>>(
      'SELECT id, facility_id AS "facilityId", status FROM purchase_order WHERE id = $1 FOR NO KEY UPDATE',
      [id],
    );
    if (!row) return undefined;
    const lines = await tx.query<LockedPurchaseOrder['lines'][number]>(
      `SELECT product_id AS "productId", quantity, received_quantity AS "receivedQuantity" FROM purchase_order_item
        WHERE purchase_order_id = $1 ORDER BY line_number`,
      [id],
    );
    return { ...row, lines };
  }

  async setExpectedDate(tx: Queryable, id: string, expectedDate: string): Promise<void> {
    await tx.query('UPDATE purchase_order SET expected_date = $2::date WHERE id = $1', [id, expectedDate]);
  }

  /** Ends the purchase order: CLOSED by hand, or RECEIVED once every line has arrived. */
  async finish(tx: Queryable, id: string, status: Exclude<PurchaseOrderStatus, 'OPEN'>): Promise<void> {
    await tx.query('UPDATE purchase_order SET status = $2, closed_at = now() WHERE id = $1', [id, status]);
  }

  /** Whether the purchase order has a receipt with this reference (the caller holds the purchase order's lock). */
  async hasReceipt(tx: Queryable, purchaseOrderId: string, externalId: string): Promise<boolean> {
    const rows = await tx.query('SELECT 1 FROM purchase_order_receipt WHERE purchase_order_id = $1 AND external_id = $2', [
      purchaseOrderId,
      externalId,
    ]);
    return rows.length > 0;
  }

  /** Records the receipt and adds its units to the lines' received quantities (the lines are locked with their purchase order). */
  async insertReceipt(tx: Queryable, receipt: NewReceipt): Promise<string> {
    const [row] = await tx.query<{ id: string }>(
      `WITH receipt AS (
         INSERT INTO purchase_order_receipt (purchase_order_id, facility_id, actor, external_id) VALUES ($1, $2, $3, $6) RETURNING id
       ), lines AS (
         INSERT INTO purchase_order_receipt_item (receipt_id, product_id, quantity)
         SELECT receipt.id, r.product_id, r.quantity FROM receipt, unnest($4::uuid[], $5::int[]) AS r(product_id, quantity)
       ), received AS (
         UPDATE purchase_order_item pi SET received_quantity = pi.received_quantity + r.quantity
           FROM unnest($4::uuid[], $5::int[]) AS r(product_id, quantity)
          WHERE pi.purchase_order_id = $1 AND pi.product_id = r.product_id
       )
       SELECT id FROM receipt`,
      [
        receipt.purchaseOrderId,
        receipt.facilityId,
        receipt.actor,
        receipt.items.map((item) => item.productId),
        receipt.items.map((item) => item.quantity),
        receipt.externalId ?? null,
      ],
    );
    return row.id;
  }
}
