import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { RejectionReason } from './rejection-effect';

export interface ItemRejection {
  itemId: string;
  facilityId: string;
  reason: RejectionReason;
  note: string | null;
}

/** The facilities that rejected items: routing never chooses one of them for that item again. */
@Injectable()
export class ItemRejectionsRepository {
  async record(tx: Queryable, rejection: ItemRejection): Promise<void> {
    await tx.query(
      `INSERT INTO order_item_rejection (item_id, facility_id, reason, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (item_id, facility_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note, rejected_at = clock_timestamp()`,
      [rejection.itemId, rejection.facilityId, rejection.reason, rejection.note],
    );
  }

  /** The facilities that rejected each of these items, by item id. */
  async rejectingFacilities(db: Queryable, itemIds: string[]): Promise<Map<string, string[]>> {
    if (itemIds.length === 0) return new Map();
    const rows = await db.query<{ itemId: string; facilityIds: string[] }>(
      `SELECT item_id AS "itemId", array_agg(facility_id ORDER BY facility_id) AS "facilityIds"
         FROM order_item_rejection WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`,
      [itemIds],
    );
    return new Map(rows.map((row) => [row.itemId, row.facilityIds]));
  }
}
