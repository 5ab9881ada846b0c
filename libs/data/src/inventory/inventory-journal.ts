import { Injectable } from '@nestjs/common';
import type { InventoryItem } from '../entities/inventory-item.entity';
import { OutboxEventDraft, OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { InventoryRepository, LedgerEntry } from './inventory.repository';

export interface InventoryMovement {
  onHandDelta: number;
  reservedDelta?: number;
  reason: string;
  /** An API key id, or "system" for the platform's own work. */
  actor: string;
  orderId?: string;
  /** The purchase order a receipt is for, or the transfer order that moved the stock. */
  purchaseOrderId?: string;
  transferOrderId?: string;
}

/** An inventory row's balance after a change. */
export type InventoryBalance = Pick<InventoryItem, 'facilityId' | 'productId' | 'quantityOnHand' | 'quantityReserved' | 'availableToPromise'>;

/**
 * Every change of an inventory row leaves two traces in the same transaction as the change: a
 * ledger row (who, why, how much) and an `inventory.changed` outbox event with the new balance,
 * which the cache, re-brokering and the warehouse follow.
 */
@Injectable()
export class InventoryJournal {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async record(tx: Queryable, item: InventoryBalance, movement: InventoryMovement): Promise<void> {
    const reservedDelta = movement.reservedDelta ?? 0;
    if (movement.onHandDelta === 0 && reservedDelta === 0) return;
    const { facilityId, productId } = item;
    await this.inventory.appendLedger(tx, [{ facilityId, productId, ...movement, reservedDelta }]);
    const event = this.changedEvent(item, movement);
    await this.outbox.enqueue(tx, event.topic, event.aggregateId, event.payload);
  }

  /** Appends the ledger rows of many changes at once, for callers that write their events in bulk too (see changedEvent). */
  appendLedger(tx: Queryable, entries: LedgerEntry[]): Promise<void> {
    return this.inventory.appendLedger(tx, entries);
  }

  /**
   * The `inventory.changed` event of one change, for callers that write many changes at once (the
   * ledger rows and events in bulk); the one place that knows the event's shape.
   */
  changedEvent(item: InventoryBalance, movement: InventoryMovement): OutboxEventDraft {
    const { facilityId, productId } = item;
    return {
      topic: 'inventory.changed',
      aggregateId: productId,
      payload: {
        facilityId,
        productId,
        quantityOnHand: item.quantityOnHand,
        quantityReserved: item.quantityReserved,
        availableToPromise: item.availableToPromise,
        onHandDelta: movement.onHandDelta,
        reservedDelta: movement.reservedDelta ?? 0,
        reason: movement.reason,
        orderId: movement.orderId ?? null,
      },
    };
  }
}
