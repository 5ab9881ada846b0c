import { CacheInvalidator } from '@app/cache';
import { ConflictError, FieldProblem, InvalidInputError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { BrokeringService } from '../brokering/brokering.service';
import { BROKERING_BATCH_SIZE } from '@app/jobs';
import { invalidatedTags } from '../common/cache-tags';
import { violatesConstraint } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import { StockArrivals } from '../inventory/stock-arrivals';
import { OrdersRepository } from '../orders/orders.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { PromisesService } from './promises.service';
import {
  LockedPurchaseOrder,
  PurchaseOrderFilter,
  PurchaseOrdersRepository,
  PurchaseOrderSummary,
  PurchaseOrderView,
} from './purchase-orders.repository';

export interface PurchaseOrderRequest {
  externalId?: string;
  facilityId: string;
  expectedDate: string;
  items: { productId?: string; sku?: string; quantity: number }[];
}

export interface ReceiptLine {
  productId: string;
  quantity: number;
}

export interface ReceiptRequest {
  /** The delivery's reference: a receipt with one the purchase order has already is answered as it is (a retry), not received again. */
  externalId?: string;
  items: ReceiptLine[];
}

/** The ledger reason of units a purchase order's receipt puts on hand. */
export const RECEIPT_REASON = 'purchase order received';

/** Each line names its product exactly one way, and no product twice (by the same name). */
function assertWellFormedLines(items: PurchaseOrderRequest['items']): void {
  const seen = new Set<string>();
  const problems = items.flatMap((item, index): FieldProblem[] => {
    if ((item.productId === undefined) === (item.sku === undefined))
      return [{ field: `items[${index}]`, message: 'give exactly one of productId or sku' }];
    const key = item.productId !== undefined ? `id:${item.productId.toLowerCase()}` : `sku:${item.sku}`;
    if (seen.has(key)) return [{ field: `items[${index}]`, message: 'names a product another line names' }];
    seen.add(key);
    return [];
  });
  if (problems.length > 0) throw InvalidInputError.ofFields(problems);
}

/** A receipt names lines of the purchase order, once each, and no more than each has open. */
function assertReceivable(order: LockedPurchaseOrder, items: ReceiptLine[]): void {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  items.forEach((item, index) => {
    const productId = item.productId.toLowerCase();
    if (seen.has(productId)) problems.push({ field: `items[${index}].productId`, message: 'appears twice in the receipt' });
    else if (!order.lines.some((line) => line.productId === productId))
      problems.push({ field: `items[${index}].productId`, message: `is not a line of purchase order ${order.id}` });
    seen.add(productId);
  });
  if (problems.length > 0) throw InvalidInputError.ofFields(problems);
  if (order.status !== 'OPEN') throw new ConflictError(`purchase order ${order.id} is ${order.status}: it takes no more receipts`);
  for (const item of items) {
    const line = order.lines.find((candidate) => candidate.productId === item.productId.toLowerCase())!;
    const open = line.quantity - line.receivedQuantity;
    if (item.quantity > open) {
      throw new ConflictError(`product ${line.productId}: ${item.quantity} units received but only ${open} of ${line.quantity} are still open`);
    }
  }
}

/** Whether the receipt brings the last open units of every line. */
function completes(order: LockedPurchaseOrder, items: ReceiptLine[]): boolean {
  return order.lines.every(
    (line) => line.receivedQuantity + (items.find((item) => item.productId.toLowerCase() === line.productId)?.quantity ?? 0) === line.quantity,
  );
}

/**
 * Purchase orders: units due at a facility on an expected date. Receiving puts units on hand
 * (ledger row and `inventory.changed` event each) and re-brokers the backorders of those products
 * before answering; every change of what is on order recomputes the pre-order promises of its
 * products in the same transaction (PromisesService), after the purchase order's own lock.
 */
@Injectable()
export class PurchaseOrdersService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly purchaseOrders: PurchaseOrdersRepository,
    private readonly orders: OrdersRepository,
    private readonly promises: PromisesService,
    private readonly arrivals: StockArrivals,
    private readonly outbox: OutboxRepository,
    private readonly brokering: BrokeringService,
    private readonly cache: CacheInvalidator,
  ) {}

  /** A purchase order with an `externalId` that exists already is answered as it is. */
  async create(request: PurchaseOrderRequest, actor: string, scope: AccessScope = UNRESTRICTED): Promise<PurchaseOrderView> {
    assertWellFormedLines(request.items);
    if (!reachesFacility(scope, request.facilityId)) throw new NotFoundError(`facility ${request.facilityId} not found`);
    const existing = request.externalId === undefined ? undefined : await this.purchaseOrders.findIdByExternalId(this.db, request.externalId);
    if (existing) return this.get(existing, scope);
    const { id, productIds } = await this.db
      .transaction(async (tx) => {
        if (!(await this.orders.facilityExists(tx, request.facilityId))) throw new NotFoundError(`facility ${request.facilityId} not found`);
        const inserted = await this.purchaseOrders.insert(tx, {
          ...request,
          items: request.items.map((item) => ({ productId: item.productId ?? null, sku: item.sku ?? null, quantity: item.quantity })),
          createdBy: actor,
        });
        if ('unknownLines' in inserted) {
          throw InvalidInputError.ofFields(
            inserted.unknownLines.map((n) => ({
              field: `items[${n - 1}].${request.items[n - 1].productId ? 'productId' : 'sku'}`,
              message: 'unknown product',
            })),
          );
        }
        await this.promises.recompute(tx, inserted.productIds, 'purchase order created');
        await this.outbox.enqueue(tx, 'purchase_order.created', inserted.id, {
          purchaseOrderId: inserted.id,
          facilityId: request.facilityId.toLowerCase(),
        });
        return inserted;
      })
      .catch((error: unknown) => this.duplicateRefusal(error, request));
    await this.dropCachedAvailability(productIds);
    return this.get(id, scope);
  }

  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<PurchaseOrderView> {
    const found = await this.purchaseOrders.find(this.db, id);
    if (!found || !reachesFacility(scope, found.facilityId)) throw new NotFoundError(`purchase order ${id} not found`);
    return found;
  }

  /** Newest first; a key limited to facilities sees only theirs. */
  async list(filter: PurchaseOrderFilter & PageRequest, scope: AccessScope = UNRESTRICTED): Promise<Page<PurchaseOrderSummary>> {
    if (filter.facilityId !== undefined && !reachesFacility(scope, filter.facilityId)) return { items: [], nextCursor: null };
    const page = await this.purchaseOrders.page(this.db, filter);
    return { ...page, items: page.items.filter((order) => reachesFacility(scope, order.facilityId)) };
  }

  /** A new expected date re-promises the products' waiting items. */
  async changeExpectedDate(id: string, expectedDate: string, scope: AccessScope = UNRESTRICTED): Promise<PurchaseOrderView> {
    await this.db.transaction(async (tx) => {
      const order = await this.lockVisible(tx, id, scope);
      if (order.status !== 'OPEN') throw new ConflictError(`purchase order ${id} is ${order.status}: its expected date no longer matters`);
      await this.purchaseOrders.setExpectedDate(tx, id, expectedDate);
      await this.promises.recompute(
        tx,
        order.lines.map((line) => line.productId),
        'purchase order changed',
      );
      await this.outbox.enqueue(tx, 'purchase_order.changed', id, { purchaseOrderId: id, expectedDate });
    });
    return this.get(id, scope);
  }

  /** Closes an OPEN purchase order: what it still had open is no longer coming. Closing a finished one answers it as it is. */
  async close(id: string, scope: AccessScope = UNRESTRICTED): Promise<PurchaseOrderView> {
    const closed = await this.db.transaction(async (tx) => {
      const order = await this.lockVisible(tx, id, scope);
      if (order.status !== 'OPEN') return [];
      await this.purchaseOrders.finish(tx, id, 'CLOSED');
      const products = order.lines.map((line) => line.productId);
      await this.promises.recompute(tx, products, 'purchase order closed');
      await this.outbox.enqueue(tx, 'purchase_order.closed', id, { purchaseOrderId: id });
      return products;
    });
    await this.dropCachedAvailability(closed);
    return this.get(id, scope);
  }

  /**
   * Receives units against the purchase order's lines: refused (409) beyond a line's open
   * quantity or once the order is RECEIVED or CLOSED; a receipt whose reference the purchase
   * order has already (a retry after a timeout) changes nothing and answers it as it is. The units go on hand at the purchase
   * order's facility, the receipt is recorded, and the backorders of the products are brokered
   * again, oldest first, before the answer.
   */
  async receive(id: string, receipt: ReceiptRequest, actor: string, scope: AccessScope = UNRESTRICTED): Promise<PurchaseOrderView> {
    const { items, externalId } = receipt;
    const productIds = await this.db.transaction(async (tx) => {
      const order = await this.lockVisible(tx, id, scope);
      if (externalId !== undefined && (await this.purchaseOrders.hasReceipt(tx, id, externalId))) return [];
      assertReceivable(order, items);
      const lines = items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity }));
      const receiptId = await this.purchaseOrders.insertReceipt(tx, {
        purchaseOrderId: id,
        facilityId: order.facilityId,
        externalId,
        items: lines,
        actor,
      });
      if (completes(order, lines)) await this.purchaseOrders.finish(tx, id, 'RECEIVED');
      const arriving = new Map(lines.map((line) => [line.productId, line.quantity]));
      await this.promises.recompute(
        tx,
        order.lines.map((line) => line.productId),
        'purchase order received',
        arriving,
      );
      await this.arrivals.putOnHand(tx, order.facilityId, lines, { reason: RECEIPT_REASON, actor, purchaseOrderId: id });
      await this.outbox.enqueue(tx, 'purchase_order.received', id, { purchaseOrderId: id, receiptId, facilityId: order.facilityId, items: lines });
      return lines.map((line) => line.productId);
    });
    if (productIds.length === 0) return this.get(id, scope);
    await this.dropCachedAvailability(productIds);
    // The worker brokers them too, from the receipt's events: waiting for the orders it holds, the answer shows where the units went.
    await this.brokering.rebrokerProductsNow(productIds, BROKERING_BATCH_SIZE);
    return this.get(id, scope);
  }

  private async lockVisible(tx: Queryable, id: string, scope: AccessScope): Promise<LockedPurchaseOrder> {
    const order = await this.purchaseOrders.lock(tx, id);
    if (!order || !reachesFacility(scope, order.facilityId)) throw new NotFoundError(`purchase order ${id} not found`);
    return order;
  }

  private async dropCachedAvailability(productIds: string[]): Promise<void> {
    await this.cache.invalidate(invalidatedTags(productIds.map((productId) => ({ topic: 'inventory.changed' as const, productId }))));
  }

  /** Two lines naming one product in different ways, or an externalId taken between the look-up and the insert. */
  private duplicateRefusal(error: unknown, request: PurchaseOrderRequest): never {
    if (violatesConstraint(error, 'purchase_order_item_purchase_order_id_product_id_key')) {
      throw InvalidInputError.ofFields([{ field: 'items', message: 'two lines name the same product (one by id, one by SKU)' }]);
    }
    if (violatesConstraint(error, 'purchase_order_external_id_key')) {
      throw new ConflictError(`a purchase order with externalId ${request.externalId} was created at the same time; read it again`);
    }
    throw error;
  }
}
