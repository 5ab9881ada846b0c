import { ConflictError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { inStockLockOrder } from '../database/lock-order';
import type { Queryable } from '../read-routing/queryable';
import { InventoryJournal, InventoryMovement } from './inventory-journal';
import { InventoryRepository } from './inventory.repository';
import { MAX_QUANTITY_ON_HAND } from './inventory.service';

/**
 * Units arriving at a facility (a return restocked, a purchase order received, a transfer received):
 * on hand rises, one inventory row per product in the lock order, each with its ledger row and
 * `inventory.changed` event (which re-brokers what waits for the product); refused (409) beyond
 * the most a facility can hold.
 */
@Injectable()
export class StockArrivals {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly journal: InventoryJournal,
  ) {}

  async putOnHand(
    tx: Queryable,
    facilityId: string,
    lines: { productId: string; quantity: number }[],
    why: Omit<InventoryMovement, 'onHandDelta' | 'reservedDelta'>,
  ): Promise<void> {
    const units = new Map<string, number>();
    for (const line of lines) units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
    for (const row of inStockLockOrder([...units].map(([productId, quantity]) => ({ facilityId, productId, quantity })))) {
      const stock = await this.inventory.increaseOnHand(tx, row, row.quantity, MAX_QUANTITY_ON_HAND);
      if (!stock) {
        throw new ConflictError(
          `${row.quantity} more units of product ${row.productId} would take on hand at facility ${facilityId} above ${MAX_QUANTITY_ON_HAND}`,
        );
      }
      await this.journal.record(tx, stock, { ...why, onHandDelta: row.quantity });
    }
  }
}
