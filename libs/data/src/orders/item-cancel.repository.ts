import { Injectable } from '@nestjs/common';
import type { OrderStatus } from '../lifecycle/statuses';
import type { Queryable } from '../read-routing/queryable';
import { ORDER_ITEM_COLUMNS, OrderItemRow } from './order.view';

export interface LockedOrder {
  id: string;
  status: OrderStatus;
}

/** The reads and writes of item cancels and auto-cancel dates that the status changes do not make. */
@Injectable()
export class ItemCancelRepository {
  /**
   * Locks up to `limit` orders, by id, that have a waiting item whose auto-cancel time has passed;
   * orders another transaction holds are skipped (their items are cancelled at a later tick, if
   * still due then), so two workers never cancel the same item.
   */
  lockOrdersDue(tx: Queryable, waiting: readonly string[], now: Date, limit: number): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(
      `SELECT id, status FROM sales_order
        WHERE id IN (SELECT order_id FROM order_item WHERE auto_cancel_at <= $2 AND status = ANY($1::text[]))
        ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [waiting, now, limit],
    );
  }

  /** Locks every item of these orders, by id (the global lock order). */
  lockItemsOf(tx: Queryable, orderIds: string[]): Promise<OrderItemRow[]> {
    return tx.query<OrderItemRow>(`SELECT ${ORDER_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [orderIds]);
  }

  /** Sets the item's auto-cancel time and writes an EDITED entry naming it. */
  async setAutoCancelAt(tx: Queryable, orderId: string, itemId: string, at: Date | null): Promise<void> {
    await tx.query('UPDATE order_item SET auto_cancel_at = $2 WHERE id = $1', [itemId, at]);
    await tx.query(`INSERT INTO order_history (order_id, item_id, type, reason, note) VALUES ($1, $2, 'EDITED', 'autoCancelAt', $3)`, [
      orderId,
      itemId,
      at === null ? null : at.toISOString(),
    ]);
  }
}
