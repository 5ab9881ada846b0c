import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { IncomingLine, PromiseChange, WaitingLine } from './promises';

/**
 * SQL of pre-order promises. Every writer of promises, and of what they count (open purchase order
 * quantities), takes the products' promise locks first (lockProducts), so that one recompute of a
 * product sees the last one's result; brokering only ends promises (a trigger clears an item's
 * promise when it stops waiting), which frees quantity and never over-promises.
 */
@Injectable()
export class PromisesRepository {
  /** Of these products, those with open quantity on an OPEN purchase order or an item promised: the ones whose promises can change. */
  async productsWithIncoming(db: Queryable, productIds: string[]): Promise<string[]> {
    const rows = await db.query<{ productId: string }>(
      `SELECT DISTINCT pi.product_id AS "productId" FROM purchase_order_item pi JOIN purchase_order po ON po.id = pi.purchase_order_id
        WHERE pi.product_id = ANY($1::uuid[]) AND pi.received_quantity < pi.quantity AND po.status = 'OPEN'
       UNION
       SELECT DISTINCT product_id FROM order_item WHERE product_id = ANY($1::uuid[]) AND promised_purchase_order_id IS NOT NULL`,
      [productIds],
    );
    return rows.map((row) => row.productId);
  }

  async productsOfOrders(db: Queryable, orderIds: string[]): Promise<string[]> {
    const rows = await db.query<{ productId: string }>('SELECT DISTINCT product_id AS "productId" FROM order_item WHERE order_id = ANY($1::uuid[])', [
      orderIds,
    ]);
    return rows.map((row) => row.productId);
  }

  /** The promise locks of these products, in ascending order, held until the transaction ends. */
  async lockProducts(tx: Queryable, productIds: string[]): Promise<void> {
    await tx.query(
      `SELECT count(pg_advisory_xact_lock(key)) FROM (
         SELECT hashtextextended('promise:' || id::text, 0) AS key FROM unnest($1::uuid[]) AS t(id) ORDER BY id) ordered`,
      [[...new Set(productIds)]],
    );
  }

  /** Backordered items of these products in promise order: their order's creation, then the order, then the line. */
  waitingLines(db: Queryable, productIds: string[]): Promise<WaitingLine[]> {
    return db.query<WaitingLine>(
      `SELECT i.id AS "itemId", i.order_id AS "orderId", i.product_id AS "productId", i.quantity,
              CASE WHEN i.promised_purchase_order_id IS NOT NULL
                   THEN json_build_object('purchaseOrderId', i.promised_purchase_order_id, 'promiseDate', to_char(i.promise_date, 'YYYY-MM-DD')) END AS promise
         FROM order_item i JOIN sales_order o ON o.id = i.order_id
        WHERE i.product_id = ANY($1::uuid[]) AND i.status = 'BACKORDERED'
        ORDER BY o.created_at, o.id, i.line_number`,
      [productIds],
    );
  }

  /** Open lines of OPEN purchase orders of these products, earliest expected date first, then oldest purchase order. */
  incoming(db: Queryable, productIds: string[]): Promise<IncomingLine[]> {
    return db.query<IncomingLine>(
      `SELECT po.id AS "purchaseOrderId", pi.product_id AS "productId", to_char(po.expected_date, 'YYYY-MM-DD') AS "expectedDate",
              pi.quantity - pi.received_quantity AS "openQuantity"
         FROM purchase_order_item pi JOIN purchase_order po ON po.id = pi.purchase_order_id
        WHERE pi.product_id = ANY($1::uuid[]) AND pi.received_quantity < pi.quantity AND po.status = 'OPEN'
        ORDER BY po.expected_date, po.created_at, po.id`,
      [productIds],
    );
  }

  /**
   * Writes the changes: each item still waiting takes its new promise, with a PROMISED history
   * entry naming the purchase order and its facility (none when the promise ends). The orders,
   * then the items, are locked first in the lock order (the history rows' foreign key would
   * otherwise take a lock on the order after the item's). Returns the changes applied (an item
   * that stopped waiting meanwhile has no promise any more and is left out).
   */
  async apply(tx: Queryable, changes: PromiseChange[], reason: string): Promise<PromiseChange[]> {
    if (changes.length === 0) return [];
    const ids = changes.map((change) => change.itemId);
    await tx.query('SELECT id FROM sales_order WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
      [...new Set(changes.map((change) => change.orderId))],
    ]);
    await tx.query('SELECT id FROM order_item WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
    const updated = await tx.query<{ id: string }>(
      `WITH changed AS (
         UPDATE order_item i SET promise_date = c.promise_date, promised_purchase_order_id = c.purchase_order_id
           FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS c(id, purchase_order_id, promise_date)
          WHERE i.id = c.id AND i.status = 'BACKORDERED'
          RETURNING i.id, i.order_id, c.purchase_order_id, c.promise_date
       ), history AS (
         INSERT INTO order_history (order_id, item_id, type, facility_id, purchase_order_id, reason, note, at)
         SELECT ch.order_id, ch.id, 'PROMISED', po.facility_id, ch.purchase_order_id, $4,
                CASE WHEN ch.purchase_order_id IS NULL THEN 'no promise: no purchase order has enough open quantity'
                     ELSE 'promised for ' || to_char(ch.promise_date, 'YYYY-MM-DD') END,
                statement_timestamp()
           FROM changed ch LEFT JOIN purchase_order po ON po.id = ch.purchase_order_id
       )
       SELECT id FROM changed`,
      [ids, changes.map((change) => change.to?.purchaseOrderId ?? null), changes.map((change) => change.to?.promiseDate ?? null), reason],
    );
    const applied = new Set(updated.map((row) => row.id));
    return changes.filter((change) => applied.has(change.itemId));
  }
}
