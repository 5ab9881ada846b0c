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
 * What order items reserve at their facility, in the lock order of inventory rows, each change with
 * its ledger row and event: given back when the items stop being allocated (cancelled, held,
 * edited), or gone with them when they leave the building (shipped, handed over).
 */
@Injectable()
export class ItemReservations {
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

  /** The reserved units leave with the items: on hand and reserved drop together. */
  async deliver(tx: Queryable, items: AllocatedItem[], why: { reason: string; actor: string }): Promise<void> {
    for (const item of inStockLockOrder(items)) {
      const stock = await this.inventory.shipReserved(tx, item, item.quantity);
      await this.journal.record(tx, stock, { onHandDelta: -item.quantity, reservedDelta: -item.quantity, ...why, orderId: item.orderId });
    }
  }
}
