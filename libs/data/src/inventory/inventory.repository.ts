import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { InventoryItem } from '../entities/inventory-item.entity';
import { InventoryLedgerEntry } from '../entities/inventory-ledger-entry.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';

const INVENTORY_COLUMNS = selectColumns(InventoryItem);
const LEDGER_PROPERTIES = [
  'id',
  'onHandDelta',
  'reservedDelta',
  'reason',
  'actor',
  'orderId',
  'purchaseOrderId',
  'transferOrderId',
  'createdAt',
] as const;
const LEDGER_COLUMNS = selectColumns(InventoryLedgerEntry, LEDGER_PROPERTIES);

export type LedgerRow = Pick<InventoryLedgerEntry, (typeof LEDGER_PROPERTIES)[number]>;

export interface InventoryKey {
  facilityId: string;
  productId: string;
}

export interface LedgerEntry extends InventoryKey {
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  actor: string;
  orderId?: string;
  purchaseOrderId?: string;
  transferOrderId?: string;
}

/**
 * SQL of inventory rows and their ledger. Every method takes the connection or transaction to run
 * on, so that the service decides what commits together. The conditional updates return no row
 * when their condition fails: the database, not JavaScript, decides whether stock suffices.
 */
/** What a cycle count or a planner sets on an inventory row. */
export interface StockLevels {
  quantityOnHand?: number;
  /** Brokering safety stock: brokering allocates only what is available above it. */
  minimumStock?: number;
}

@Injectable()
export class InventoryRepository {
  async productAndFacilityExist(db: Queryable, key: InventoryKey): Promise<{ facility: boolean; product: boolean }> {
    const [found] = await db.query<{ facility: boolean; product: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM facility WHERE id = $1) AS facility, EXISTS (SELECT 1 FROM product WHERE id = $2) AS product',
      [key.facilityId, key.productId],
    );
    return found;
  }

  /** Creates the row at zero if missing, then locks it for the rest of the transaction. */
  async lockOrCreate(tx: Queryable, key: InventoryKey): Promise<{ onHand: number; reserved: number }> {
    await tx.query('INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', [
      key.facilityId,
      key.productId,
    ]);
    const [current] = await tx.query<{ onHand: number; reserved: number }>(
      `SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved FROM inventory_item
        WHERE facility_id = $1 AND product_id = $2 FOR UPDATE`,
      [key.facilityId, key.productId],
    );
    return current;
  }

  /** Sets on hand and the brokering safety stock; undefined leaves one as it is. */
  async setLevels(tx: Queryable, key: InventoryKey, levels: StockLevels): Promise<InventoryItem> {
    const [item] = await tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_on_hand = COALESCE($3, quantity_on_hand), minimum_stock = COALESCE($4, minimum_stock)
        WHERE facility_id = $1 AND product_id = $2 RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, levels.quantityOnHand ?? null, levels.minimumStock ?? null],
    );
    return item;
  }

  /** Adds stock (creating the row), unless on hand would pass `max`. */
  async increaseOnHand(tx: Queryable, key: InventoryKey, delta: number, max: number): Promise<InventoryItem | undefined> {
    const [item] = await tx.query<InventoryItem>(
      `INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand) VALUES ($1, $2, $3)
       ON CONFLICT (facility_id, product_id) DO UPDATE
         SET quantity_on_hand = inventory_item.quantity_on_hand + EXCLUDED.quantity_on_hand
         WHERE inventory_item.quantity_on_hand::bigint + EXCLUDED.quantity_on_hand <= $4
       RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, delta, max],
    );
    return item;
  }

  /** Removes stock unless on hand would drop below what is reserved. */
  async decreaseOnHand(tx: Queryable, key: InventoryKey, amount: number): Promise<InventoryItem | undefined> {
    const [item] = await tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_on_hand = quantity_on_hand - $3
        WHERE facility_id = $1 AND product_id = $2 AND quantity_on_hand - $3 >= quantity_reserved
        RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, amount],
    );
    return item;
  }

  /**
   * Reserves units unless reserved would pass on hand. Unlike brokering, it may take the safety
   * stock (minimum_stock is a rule of brokering): a transfer order reserves this way.
   */
  async reserveWithinOnHand(tx: Queryable, key: InventoryKey, quantity: number): Promise<InventoryItem | undefined> {
    const [item] = await tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_reserved = quantity_reserved + $3
        WHERE facility_id = $1 AND product_id = $2 AND quantity_reserved::bigint + $3 <= quantity_on_hand
        RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, quantity],
    );
    return item;
  }

  async releaseReservation(tx: Queryable, key: InventoryKey, quantity: number): Promise<InventoryItem> {
    const [item] = await tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_reserved = quantity_reserved - $3
        WHERE facility_id = $1 AND product_id = $2 RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, quantity],
    );
    return item;
  }

  /** A shipment: the reserved units leave the building, so on hand and reserved both drop. */
  async shipReserved(tx: Queryable, key: InventoryKey, quantity: number): Promise<InventoryItem> {
    const [item] = await tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_on_hand = quantity_on_hand - $3, quantity_reserved = quantity_reserved - $3
        WHERE facility_id = $1 AND product_id = $2 RETURNING ${INVENTORY_COLUMNS}`,
      [key.facilityId, key.productId, quantity],
    );
    return item;
  }

  list(db: Queryable, filter: Partial<InventoryKey>): Promise<InventoryItem[]> {
    const conditions: string[] = [];
    const params: string[] = [];
    for (const [column, value] of [
      ['product_id', filter.productId],
      ['facility_id', filter.facilityId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return db.query<InventoryItem>(`SELECT ${INVENTORY_COLUMNS} FROM inventory_item ${where} ORDER BY product_id, facility_id`, params);
  }

  /**
   * Appends ledger rows in the caller's transaction, in the order given, with one statement: the
   * one writer of the ledger, so that the ledger and the balances never disagree.
   */
  async appendLedger(tx: Queryable, entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id, purchase_order_id, transfer_order_id)
       SELECT facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id, purchase_order_id, transfer_order_id
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[]) WITH ORDINALITY
           AS e(facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id, purchase_order_id, transfer_order_id, n)
        ORDER BY n`,
      [
        entries.map((e) => e.facilityId),
        entries.map((e) => e.productId),
        entries.map((e) => e.onHandDelta),
        entries.map((e) => e.reservedDelta),
        entries.map((e) => e.reason),
        entries.map((e) => e.actor),
        entries.map((e) => e.orderId ?? null),
        entries.map((e) => e.purchaseOrderId ?? null),
        entries.map((e) => e.transferOrderId ?? null),
      ],
    );
  }

  /** A page of the row's history, newest first. */
  ledger(db: Queryable, key: InventoryKey, page: PageRequest): Promise<Page<LedgerRow>> {
    return keysetPage<LedgerRow>(
      db,
      {
        select: LEDGER_COLUMNS,
        from: 'inventory_ledger',
        filters: ['facility_id = $1', 'product_id = $2'],
        params: [key.facilityId, key.productId],
        direction: 'desc',
        idType: 'bigint',
      },
      page,
    );
  }
}
