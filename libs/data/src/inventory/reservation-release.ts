import { Injectable } from '@nestjs/common';
import { inStockLockOrder } from '../database/lock-order';
import type { OrderItemRow } from '../orders/order.view';
import type { Queryable } from '../read-routing/queryable';
import { InventoryJournal } from './inventory-journal';
import { InventoryRepository } from './inventory.repository';

export type AllocatedItem = OrderItemRow & { facilityId: string };

/** The items that hold a reservation at a facility. */
export function allocatedItems(items: OrderItemRow[]): AllocatedItem[] {
  return items.filter((item): item is AllocatedItem => item.status === 'ALLOCATED' && item.facilityId !== null);
}

/**
 * Gives back what order items reserve when they stop being allocated (cancelled, held, edited):
 * each reservation is released in the lock order of inventory rows, with its ledger row and event.
 */
@Injectable()
export class ReservationRelease {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly journal: InventoryJournal,
  ) {}

  async release(tx: Queryable, items: AllocatedItem[], why: { reason: string; actor: string }): Promise<void> {
    for (const item of inStockLockOrder(items)) {
      const stock = await this.inventory.releaseReservation(tx, item, item.quantity);
      await this.journal.record(tx, stock, { onHandDelta: 0, reservedDelta: -item.quantity, ...why, orderId: item.orderId });
    }
  }
}
