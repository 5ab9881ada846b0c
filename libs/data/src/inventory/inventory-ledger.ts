import type { Queryable } from '../read-routing/queryable';

export interface LedgerEntry {
  facilityId: string;
  productId: string;
  onHandDelta: number;
  reservedDelta?: number;
  reason: string;
  actor: string;
  orderId?: string;
}

/** Appends one ledger row in the caller's transaction, so the ledger and the balance never disagree. */
export async function appendLedger(tx: Queryable, entry: LedgerEntry): Promise<void> {
  await tx.query(
    `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.facilityId, entry.productId, entry.onHandDelta, entry.reservedDelta ?? 0, entry.reason, entry.actor, entry.orderId ?? null],
  );
}
