import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { ReturnReason, ReturnStatus } from './return-reasons';

export interface ReturnItemView {
  itemId: string;
  productId: string;
  quantity: number;
  reason: ReturnReason;
}

export interface ReturnView {
  id: string;
  orderId: string;
  facilityId: string;
  status: ReturnStatus;
  /** Whether the received goods went back into stock; null until received. */
  restocked: boolean | null;
  items: ReturnItemView[];
  createdAt: Date;
  receivedAt: Date | null;
}

export interface NewReturnItem {
  itemId: string;
  quantity: number;
  reason: ReturnReason;
}

/** A return with the sales channel of its order, which decides who may see it. */
export type ScopedReturn = ReturnView & { salesChannel: string };

const RETURN_SELECT = `SELECT r.id, r.order_id AS "orderId", r.facility_id AS "facilityId", r.status, r.restocked,
         r.created_at AS "createdAt", r.received_at AS "receivedAt", o.sales_channel AS "salesChannel",
         (SELECT json_agg(json_build_object('itemId', ri.item_id, 'productId', i.product_id, 'quantity', ri.quantity, 'reason', ri.reason)
                          ORDER BY i.line_number)
            FROM order_return_item ri JOIN order_item i ON i.id = ri.item_id WHERE ri.return_id = r.id) AS items
    FROM order_return r JOIN sales_order o ON o.id = r.order_id`;

/** SQL of returns and their items; the caller passes the connection or transaction. */
@Injectable()
export class ReturnsRepository {
  /** Units of each of these items that returns already take back (every return counts: none is ever cancelled). */
  async returnedUnits(tx: Queryable, itemIds: string[]): Promise<Map<string, number>> {
    const rows = await tx.query<{ itemId: string; units: number }>(
      `SELECT item_id AS "itemId", sum(quantity)::int AS units FROM order_return_item WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`,
      [itemIds],
    );
    return new Map(rows.map((row) => [row.itemId, row.units]));
  }

  async insert(tx: Queryable, orderId: string, facilityId: string, items: NewReturnItem[]): Promise<string> {
    const [{ id }] = await tx.query<{ id: string }>(
      `WITH created AS (INSERT INTO order_return (order_id, facility_id) VALUES ($1, $2) RETURNING id),
            items AS (INSERT INTO order_return_item (return_id, item_id, quantity, reason)
                      SELECT created.id, i.item_id, i.quantity, i.reason FROM created, unnest($3::uuid[], $4::int[], $5::text[]) AS i(item_id, quantity, reason))
       SELECT id FROM created`,
      [orderId, facilityId, items.map((item) => item.itemId), items.map((item) => item.quantity), items.map((item) => item.reason)],
    );
    return id;
  }

  async find(db: Queryable, id: string): Promise<ScopedReturn | undefined> {
    const [found] = await db.query<ScopedReturn>(`${RETURN_SELECT} WHERE r.id = $1`, [id]);
    return found;
  }

  /** Locks the return row: it comes after its order's row in the lock order (lock-order.ts). */
  async lock(tx: Queryable, id: string): Promise<ScopedReturn | undefined> {
    const [found] = await tx.query<ScopedReturn>(`${RETURN_SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
    return found;
  }

  listOfOrder(db: Queryable, orderId: string): Promise<ScopedReturn[]> {
    return db.query<ScopedReturn>(`${RETURN_SELECT} WHERE r.order_id = $1 ORDER BY r.created_at, r.id`, [orderId]);
  }

  async markReceived(tx: Queryable, id: string, restocked: boolean): Promise<void> {
    await tx.query(`UPDATE order_return SET status = 'RECEIVED', restocked = $2, received_at = now() WHERE id = $1`, [id, restocked]);
  }

  /** One RETURN_RECEIVED history entry per returned item, naming the return, its facility and the item's return reason. */
  async recordReceived(tx: Queryable, returned: ReturnView): Promise<void> {
    await tx.query(
      `INSERT INTO order_history (order_id, item_id, type, facility_id, reason, return_id)
       SELECT $1, item_id, 'RETURN_RECEIVED', $2, reason, $3 FROM unnest($4::uuid[], $5::text[]) AS i(item_id, reason)`,
      [returned.orderId, returned.facilityId, returned.id, returned.items.map((item) => item.itemId), returned.items.map((item) => item.reason)],
    );
  }
}
