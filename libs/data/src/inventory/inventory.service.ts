import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Database } from '../database/database';
import type { InventoryItem } from '../entities/inventory-item.entity';
import type { InventoryLedgerEntry } from '../entities/inventory-ledger-entry.entity';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import { appendLedger } from './inventory-ledger';

export const INVENTORY_COLUMNS = `facility_id AS "facilityId", product_id AS "productId", quantity_on_hand AS "quantityOnHand",
  quantity_reserved AS "quantityReserved", available_to_promise AS "availableToPromise", updated_at AS "updatedAt"`;

/** The most a facility can hold of one product (also the API's bound on quantities). */
export const MAX_QUANTITY_ON_HAND = 1_000_000_000;

export interface InventoryChange {
  facilityId: string;
  productId: string;
  reason: string;
  /** Who made the change: an API key id, or "system" for the platform's own work. */
  actor: string;
}

@Injectable()
export class InventoryService {
  constructor(
    private readonly db: Database,
    private readonly reads: ReadRouter,
  ) {}

  /** Absolute set, e.g. after a cycle count; refused when it would go below what is reserved. */
  setOnHand(change: InventoryChange & { quantityOnHand: number }): Promise<InventoryItem> {
    return this.db.transaction(async (tx) => {
      await this.assertProductAndFacilityExist(tx, change);
      await tx.query(
        'INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING',
        [change.facilityId, change.productId],
      );
      const [current] = await tx.query<{ onHand: number; reserved: number }>(
        `SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item
          WHERE facility_id = $1 AND product_id = $2 FOR UPDATE`,
        [change.facilityId, change.productId],
      );
      if (change.quantityOnHand < current.reserved) {
        throw new ConflictException(`quantityOnHand ${change.quantityOnHand} is below the ${current.reserved} units reserved`);
      }
      const [item] = await tx.query<InventoryItem>(
        `UPDATE inventory_item SET quantity_on_hand = $3, updated_at = clock_timestamp()
          WHERE facility_id = $1 AND product_id = $2 RETURNING ${INVENTORY_COLUMNS}`,
        [change.facilityId, change.productId, change.quantityOnHand],
      );
      await this.recordLedger(tx, change, change.quantityOnHand - current.onHand);
      return item;
    });
  }

  /** Relative change; the conditional update makes concurrent adjustments safe without locks. */
  adjust(change: InventoryChange & { delta: number }): Promise<InventoryItem> {
    return this.db.transaction(async (tx) => {
      await this.assertProductAndFacilityExist(tx, change);
      const params = [change.facilityId, change.productId, change.delta];
      const [item] =
        change.delta > 0
          ? await tx.query<InventoryItem>(
              `INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand) VALUES ($1, $2, $3)
               ON CONFLICT (facility_id, product_id) DO UPDATE
                 SET quantity_on_hand = inventory_item.quantity_on_hand + EXCLUDED.quantity_on_hand, updated_at = clock_timestamp()
                 WHERE inventory_item.quantity_on_hand::bigint + EXCLUDED.quantity_on_hand <= $4
               RETURNING ${INVENTORY_COLUMNS}`,
              [...params, MAX_QUANTITY_ON_HAND],
            )
          : await tx.query<InventoryItem>(
              `UPDATE inventory_item SET quantity_on_hand = quantity_on_hand + $3, updated_at = clock_timestamp()
                WHERE facility_id = $1 AND product_id = $2 AND quantity_on_hand + $3 >= quantity_reserved
                RETURNING ${INVENTORY_COLUMNS}`,
              params,
            );
      if (!item) {
        throw new ConflictException(
          `adjustment of ${change.delta} would take on-hand below zero, below what is reserved or above ${MAX_QUANTITY_ON_HAND}`,
        );
      }
      await this.recordLedger(tx, change, change.delta);
      return item;
    });
  }

  async list(filter: { productId?: string; facilityId?: string }, clientId?: string): Promise<InventoryItem[]> {
    const db = await this.reads.forListRead(clientId);
    const conditions: string[] = [];
    const params: string[] = [];
    for (const [column, value] of [['product_id', filter.productId], ['facility_id', filter.facilityId]] as const) {
      if (value === undefined) continue;
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return db.query<InventoryItem>(`SELECT ${INVENTORY_COLUMNS} FROM inventory_item ${where} ORDER BY product_id, facility_id`, params);
  }

  async ledger(facilityId: string, productId: string): Promise<InventoryLedgerEntry[]> {
    const entries = await this.db.query<InventoryLedgerEntry>(
      `SELECT id, on_hand_delta AS "onHandDelta", reserved_delta AS "reservedDelta", reason, actor, order_id AS "orderId",
              created_at AS "createdAt"
         FROM inventory_ledger WHERE facility_id = $1 AND product_id = $2 ORDER BY id`,
      [facilityId, productId],
    );
    if (entries.length === 0) await this.assertProductAndFacilityExist(this.db, { facilityId, productId });
    return entries;
  }

  private async assertProductAndFacilityExist(db: Queryable, ids: { facilityId: string; productId: string }): Promise<void> {
    const [found] = await db.query<{ facility: boolean; product: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM facility WHERE id = $1) AS facility, EXISTS (SELECT 1 FROM product WHERE id = $2) AS product`,
      [ids.facilityId, ids.productId],
    );
    if (!found.facility) throw new NotFoundException(`facility ${ids.facilityId} not found`);
    if (!found.product) throw new NotFoundException(`product ${ids.productId} not found`);
  }

  private async recordLedger(tx: Queryable, change: InventoryChange, onHandDelta: number): Promise<void> {
    if (onHandDelta === 0) return;
    const { facilityId, productId, reason, actor } = change;
    await appendLedger(tx, { facilityId, productId, onHandDelta, reason, actor });
  }
}
