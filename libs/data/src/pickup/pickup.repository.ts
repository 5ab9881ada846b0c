import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { LockedOrder } from '../orders/item-cancel.repository';

/** What the store recorded of the person who collected a pickup order. */
export interface PickupProof {
  name: string;
  idType?: string;
  idNumber?: string;
}

export interface Handover {
  orderId: string;
  facilityId: string;
  itemIds: string[];
  proof: PickupProof;
  actor: string;
}

/** An item is ready since its last READY_FOR_PICKUP history entry (found through the order's history, which is indexed by order). */
const READY_SINCE = `(SELECT max(h.at) FROM order_history h WHERE h.order_id = i.order_id AND h.item_id = i.id AND h.type = 'READY_FOR_PICKUP')`;

/** The reads and writes of store pickup that the status changes do not make. */
@Injectable()
export class PickupRepository {
  async recordHandover(tx: Queryable, handover: Handover): Promise<void> {
    await tx.query(
      `INSERT INTO pickup_handover (order_id, facility_id, item_ids, proof_name, proof_id_type, proof_id_number, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        handover.orderId,
        handover.facilityId,
        handover.itemIds,
        handover.proof.name,
        handover.proof.idType ?? null,
        handover.proof.idNumber ?? null,
        handover.actor,
      ],
    );
  }

  /**
   * Locks up to `limit` orders, by id, with an item ready for pickup since before `cutoff`; orders
   * another transaction holds are skipped (a handover in progress, or another worker's tick), so
   * two workers never cancel the same order.
   */
  lockOrdersNotCollected(tx: Queryable, cutoff: Date, limit: number): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(
      `SELECT id, status FROM sales_order
        WHERE id IN (SELECT i.order_id FROM order_item i WHERE i.status = 'READY_FOR_PICKUP' AND ${READY_SINCE} <= $1)
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cutoff, limit],
    );
  }

  /** The items of these (locked) orders that are still ready for pickup, and have been since before `cutoff`. */
  async itemsNotCollected(tx: Queryable, orderIds: string[], cutoff: Date): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT i.id FROM order_item i WHERE i.order_id = ANY($1::uuid[]) AND i.status = 'READY_FOR_PICKUP' AND ${READY_SINCE} <= $2`,
      [orderIds, cutoff],
    );
    return rows.map((row) => row.id);
  }
}

/** The proof as the history entry of a handover shows it. */
export function proofNote(proof: PickupProof): string {
  const document = [proof.idType, proof.idNumber].filter((part) => part !== undefined).join(' ');
  return document === '' ? `collected by ${proof.name}` : `collected by ${proof.name} (${document})`;
}
