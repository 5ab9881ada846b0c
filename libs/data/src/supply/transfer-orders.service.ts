import { CacheInvalidator } from '@app/cache';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { invalidatedTags } from '../common/cache-tags';
import { inStockLockOrder } from '../database/lock-order';
import { PrimaryDatabase } from '../database/primary-database';
import { InventoryJournal } from '../inventory/inventory-journal';
import { InventoryRepository } from '../inventory/inventory.repository';
import { MAX_QUANTITY_ON_HAND } from '../inventory/inventory.service';
import { StockArrivals } from '../inventory/stock-arrivals';
import { OutboxRepository, type OutboxTopic } from '../outbox/outbox.repository';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import type { TransferOrderStatus } from './supply-statuses';
import { NewTransferOrderItem, TransferOrderFilter, TransferOrdersRepository, TransferOrderView } from './transfer-orders.repository';
import { assertTransferTransition } from './transfer-orders.transitions';

export interface TransferOrderRequest {
  from: string;
  to: string;
  items: NewTransferOrderItem[];
}

/** The ledger reasons of the stock a transfer order moves. */
export const TRANSFER_LEDGER_REASONS = {
  reserved: 'transfer reserved',
  shipped: 'transfer shipped',
  received: 'transfer received',
  cancelled: 'transfer cancelled',
} as const;

/** The most products one transfer order moves. */
export const MAX_TRANSFER_ORDER_ITEMS = 500;

type StockRow = { facilityId: string; productId: string; quantity: number };

/** The transfer's items as inventory rows at one of its facilities, in the lock order. */
function stockRows(facilityId: string, items: NewTransferOrderItem[]): StockRow[] {
  return inStockLockOrder(items.map((item) => ({ facilityId, productId: item.productId, quantity: item.quantity })));
}

/** A transfer is seen by a key that reaches either of its facilities. */
const visible = (scope: AccessScope, transfer: TransferOrderView): boolean =>
  reachesFacility(scope, transfer.from) || reachesFacility(scope, transfer.to);

function assertReaches(scope: AccessScope, facilityId: string): void {
  if (!reachesFacility(scope, facilityId)) throw new NotFoundError(`facility ${facilityId} not found`);
}

/**
 * Transfer orders move stock from one facility to another. Creating one reserves its units at the
 * source (ATP drops there, so brokering cannot take them), shipping takes them off hand there
 * (they are in transit), receiving puts them on hand at the destination, and cancelling before
 * shipment releases the reservation. Each change locks the transfer order's row first, then the
 * inventory rows in the lock order, and writes its ledger rows, `inventory.changed` events and a
 * `transfer_order.*` event in the same transaction. A key acts only on the stock of facilities it
 * reaches: creating needs both, shipping and cancelling the source, receiving the destination.
 */
@Injectable()
export class TransferOrdersService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly transfers: TransferOrdersRepository,
    private readonly inventory: InventoryRepository,
    private readonly journal: InventoryJournal,
    private readonly arrivals: StockArrivals,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async create(input: TransferOrderRequest, actor: string, scope: AccessScope = UNRESTRICTED): Promise<TransferOrderView> {
    const request = validRequest(input);
    assertReaches(scope, request.from);
    assertReaches(scope, request.to);
    const id = await this.db.transaction(async (tx) => {
      await this.assertExist(tx, request);
      const id = await this.transfers.insert(tx, { ...request, createdBy: actor });
      for (const row of stockRows(request.from, request.items)) {
        const stock = await this.inventory.reserveWithinOnHand(tx, row, row.quantity);
        if (!stock) throw await this.tooLittleStock(tx, row);
        await this.journal.record(tx, stock, {
          onHandDelta: 0,
          reservedDelta: row.quantity,
          reason: TRANSFER_LEDGER_REASONS.reserved,
          actor,
          transferOrderId: id,
        });
      }
      await this.announce(tx, 'transfer_order.created', { id, ...request });
      return id;
    });
    await this.invalidate(request.items);
    return this.get(id, scope);
  }

  /** The reserved units leave the source: on hand and reserved drop together there. */
  ship(id: string, actor: string, scope: AccessScope = UNRESTRICTED): Promise<TransferOrderView> {
    return this.change(id, 'SHIPPED', 'from', scope, async (tx, transfer) => {
      for (const row of stockRows(transfer.from, transfer.items)) {
        const stock = await this.inventory.shipReserved(tx, row, row.quantity);
        await this.journal.record(tx, stock, {
          onHandDelta: -row.quantity,
          reservedDelta: -row.quantity,
          reason: TRANSFER_LEDGER_REASONS.shipped,
          actor,
          transferOrderId: id,
        });
      }
    });
  }

  /** The units arrive on hand at the destination, where they free stock for waiting orders (the worker re-brokers them). */
  receive(id: string, actor: string, scope: AccessScope = UNRESTRICTED): Promise<TransferOrderView> {
    return this.change(id, 'RECEIVED', 'to', scope, (tx, transfer) =>
      this.arrivals.putOnHand(tx, transfer.to, transfer.items, { reason: TRANSFER_LEDGER_REASONS.received, actor, transferOrderId: id }),
    );
  }

  /** Releases the reservation at the source; a cancelled transfer order is answered as it is, a shipped one is refused. */
  cancel(id: string, actor: string, scope: AccessScope = UNRESTRICTED): Promise<TransferOrderView> {
    return this.change(id, 'CANCELLED', 'from', scope, async (tx, transfer) => {
      for (const row of stockRows(transfer.from, transfer.items)) {
        const stock = await this.inventory.releaseReservation(tx, row, row.quantity);
        await this.journal.record(tx, stock, {
          onHandDelta: 0,
          reservedDelta: -row.quantity,
          reason: TRANSFER_LEDGER_REASONS.cancelled,
          actor,
          transferOrderId: id,
        });
      }
    });
  }

  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<TransferOrderView> {
    const transfer = await this.transfers.find(this.db, id);
    if (!transfer || !visible(scope, transfer)) throw new NotFoundError(`transfer order ${id} not found`);
    return transfer;
  }

  /** A page of transfer orders, newest first; a key restricted to facilities sees those from or to one of them. */
  async list(filter: TransferOrderFilter & PageRequest, clientId?: string, scope: AccessScope = UNRESTRICTED): Promise<Page<TransferOrderView>> {
    return this.transfers.page(await this.reads.forListRead(clientId), { ...filter, facilities: scope.facilities });
  }

  /**
   * Locks the transfer order, checks that the key reaches the facility whose stock changes
   * (`stockAt`) and the transitions table, moves the stock (`move`), sets the status and announces
   * it, in one transaction; then drops the cached availability of its products. Cancelling a
   * cancelled transfer order answers it as it is.
   */
  private async change(
    id: string,
    status: Exclude<TransferOrderStatus, 'CREATED'>,
    stockAt: 'from' | 'to',
    scope: AccessScope,
    move: (tx: Queryable, transfer: TransferOrderView) => Promise<void>,
  ): Promise<TransferOrderView> {
    const moved = await this.db.transaction(async (tx) => {
      const transfer = await this.transfers.lock(tx, id);
      if (!transfer || !visible(scope, transfer)) throw new NotFoundError(`transfer order ${id} not found`);
      assertReaches(scope, transfer[stockAt]);
      if (transfer.status === status && status === 'CANCELLED') return undefined;
      assertTransferTransition(id, transfer.status, status);
      await move(tx, transfer);
      await this.transfers.transition(tx, id, status);
      await this.announce(tx, `transfer_order.${status.toLowerCase() as Lowercase<typeof status>}`, transfer);
      return transfer;
    });
    if (moved) await this.invalidate(moved.items);
    return this.get(id, scope);
  }

  private announce(tx: Queryable, topic: OutboxTopic, transfer: { id: string; from: string; to: string }): Promise<void> {
    return this.outbox.enqueue(tx, topic, transfer.id, { transferOrderId: transfer.id, from: transfer.from, to: transfer.to });
  }

  private invalidate(items: { productId: string }[]): Promise<void> {
    return this.cache.invalidate(invalidatedTags(items.map((item) => ({ topic: 'inventory.changed' as const, productId: item.productId }))));
  }

  private async assertExist(tx: Queryable, request: TransferOrderRequest): Promise<void> {
    const missing = await this.transfers.missing(
      tx,
      [request.from, request.to],
      request.items.map((item) => item.productId),
    );
    if (missing.facilities.length > 0) throw new NotFoundError(`facility ${missing.facilities[0]} not found`);
    if (missing.products.length > 0) throw new NotFoundError(`product ${missing.products[0]} not found`);
  }

  private async tooLittleStock(tx: Queryable, row: StockRow): Promise<ConflictError> {
    const [stock] = await this.inventory.list(tx, row);
    const available = stock?.availableToPromise ?? 0;
    return new ConflictError(
      `product ${row.productId} has ${available} units available at facility ${row.facilityId}: a transfer of ${row.quantity} does not fit`,
    );
  }
}

/**
 * The request with its ids in lowercase (the lock order compares them as strings), once from and
 * to differ and each product comes once with 1..MAX_QUANTITY_ON_HAND units.
 */
function validRequest(input: TransferOrderRequest): TransferOrderRequest {
  const request = {
    from: input.from.toLowerCase(),
    to: input.to.toLowerCase(),
    items: input.items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity })),
  };
  if (request.from === request.to) {
    throw new InvalidInputError('a transfer order needs two different facilities', [{ field: 'to', message: 'must differ from from' }]);
  }
  if (request.items.length === 0 || request.items.length > MAX_TRANSFER_ORDER_ITEMS) {
    throw new InvalidInputError(`a transfer order moves 1 to ${MAX_TRANSFER_ORDER_ITEMS} products`, [
      { field: 'items', message: `must hold 1 to ${MAX_TRANSFER_ORDER_ITEMS} items` },
    ]);
  }
  const seen = new Set<string>();
  request.items.forEach((item, index) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY_ON_HAND) {
      throw new InvalidInputError(`quantity ${item.quantity} is out of range`, [
        { field: `items[${index}].quantity`, message: `must be an integer from 1 to ${MAX_QUANTITY_ON_HAND}` },
      ]);
    }
    if (seen.has(item.productId)) {
      throw new InvalidInputError(`product ${item.productId} appears twice`, [
        { field: `items[${index}].productId`, message: 'appears twice in the transfer order' },
      ]);
    }
    seen.add(item.productId);
  });
  return request;
}
