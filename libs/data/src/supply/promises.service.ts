import { Injectable } from '@nestjs/common';
import { BrokeringRepository } from '../brokering/brokering.repository';
import { PrimaryDatabase } from '../database/primary-database';
import { OutboxEventDraft, OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { assignPromises, PromiseChange } from './promises';
import { PromisesRepository } from './promises.repository';

/** Why promises were recomputed, as their history entries say. */
export type PromiseReason =
  | 'purchase order created'
  | 'purchase order changed'
  | 'purchase order received'
  | 'purchase order closed'
  | 'brokering'
  | 'order cancelled or edited';

/** One `order.promise_changed` event per order, listing its items whose promise changed. */
function promiseEvents(changes: PromiseChange[]): OutboxEventDraft[] {
  const byOrder = new Map<string, PromiseChange[]>();
  for (const change of changes) byOrder.set(change.orderId, [...(byOrder.get(change.orderId) ?? []), change]);
  return [...byOrder].map(([orderId, items]) => ({
    topic: 'order.promise_changed',
    aggregateId: orderId,
    payload: {
      orderId,
      items: items.map((item) => ({
        itemId: item.itemId,
        productId: item.productId,
        promiseDate: item.to?.promiseDate ?? null,
        purchaseOrderId: item.to?.purchaseOrderId ?? null,
        previousPromiseDate: item.from?.promiseDate ?? null,
      })),
    },
  }));
}

/**
 * Pre-order promises: backordered items, oldest first, against the open quantity of purchase
 * orders by earliest expected date (assignPromises). Recomputed whenever a purchase order is
 * created, changed, received or closed (in its transaction), after brokering backorders or
 * allocates items of products that have some on order, and (by the worker, from their events)
 * after orders are cancelled or edited; each change is a PROMISED history entry and an
 * `order.promise_changed` event.
 */
@Injectable()
export class PromisesService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly promises: PromisesRepository,
    private readonly brokering: BrokeringRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Recomputes the promises of these products in the caller's transaction, which may hold its
   * purchase order's row but no order, item or inventory lock (lock order 1a). Lines first take
   * what brokering may allocate now (BrokeringRepository.readShippableStock, brokering's own rule)
   * and `arriving`: units this transaction is about to put on hand.
   */
  async recompute(tx: Queryable, productIds: string[], reason: PromiseReason, arriving = new Map<string, number>()): Promise<PromiseChange[]> {
    const products = await this.promises.productsWithIncoming(tx, [...new Set(productIds)]);
    if (products.length === 0) return [];
    await this.promises.lockProducts(tx, products);
    const waiting = await this.promises.waitingLines(tx, products);
    const brokerable = new Map<string, number>();
    for (const row of await this.brokering.readShippableStock(tx, products)) {
      brokerable.set(row.productId, (brokerable.get(row.productId) ?? 0) + row.availableToPromise);
    }
    const incoming = await this.promises.incoming(tx, products);
    for (const [productId, units] of arriving) brokerable.set(productId, (brokerable.get(productId) ?? 0) + units);
    const applied = await this.promises.apply(tx, assignPromises(waiting, brokerable, incoming), reason);
    await this.outbox.enqueueMany(tx, promiseEvents(applied));
    return applied;
  }

  /** After orders were cancelled or edited (the worker, from their events): the promises of the products they have. */
  async recomputeForOrders(orderIds: string[]): Promise<void> {
    await this.recomputeAfter(await this.promises.productsOfOrders(this.db, orderIds), 'order cancelled or edited');
  }

  /** The same in a transaction of its own, after a change that committed (brokering). */
  async recomputeAfter(productIds: string[], reason: PromiseReason): Promise<void> {
    if (productIds.length === 0) return;
    // After every brokering batch: one read, and a transaction only for products with something on order.
    const products = await this.promises.productsWithIncoming(this.db, [...new Set(productIds)]);
    if (products.length > 0) await this.db.transaction((tx) => this.recompute(tx, products, reason));
  }
}
