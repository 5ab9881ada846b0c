import { CacheInvalidator } from '@app/cache';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesChannel, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { StockArrivals } from '../inventory/stock-arrivals';
import { DELIVERED_ITEM_STATUSES } from '../lifecycle/statuses';
import type { OrderItemRow } from '../orders/order.view';
import { OrdersRepository } from '../orders/orders.repository';
import { assertVisibleFacility, lockVisibleOrder } from '../orders/visible-order';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { NewReturnItem, ReturnsRepository, ReturnView, ScopedReturn } from './returns.repository';

export interface ReturnRequest {
  facilityId: string;
  items: NewReturnItem[];
}

/** The ledger reason of units a received return puts back into stock. */
export const RETURN_RESTOCK_REASON = 'return restocked';

function toView({ salesChannel: _channel, ...view }: ScopedReturn): ReturnView {
  return view;
}

/** The refusal of a returned quantity: only what left with the customer, less what other returns take back, can come back. */
function overReturn(item: OrderItemRow, requested: number, returned: number): ConflictError | undefined {
  if (!DELIVERED_ITEM_STATUSES.includes(item.status)) {
    return new ConflictError(`order item ${item.id} is ${item.status}: only shipped or handed-over items can be returned`);
  }
  if (returned + requested <= item.quantity) return undefined;
  return new ConflictError(
    `order item ${item.id} has ${item.quantity} units of which ${returned} are returned already: ${requested} more cannot be returned`,
  );
}

/**
 * Returns of shipped or handed-over items. Requesting one locks the order and its items (the lock
 * order), so two returns of the same order are checked one after the other and never take back
 * more than left; receiving one puts its units back into stock at its facility if asked to (ledger
 * row and `inventory.changed` event, which re-brokers waiting orders of the products), writes a
 * RETURN_RECEIVED history entry per item and an `order.return_received` event in the same
 * transaction. A second receive with the same restock answers the received return as it is.
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly orders: OrdersRepository,
    private readonly returns: ReturnsRepository,
    private readonly arrivals: StockArrivals,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async request(orderId: string, request: ReturnRequest, scope: AccessScope = UNRESTRICTED): Promise<ReturnView> {
    assertDistinctItems(request.items);
    const id = await this.db.transaction(async (tx) => {
      await lockVisibleOrder(this.orders, tx, orderId, scope);
      await assertVisibleFacility(this.orders, tx, request.facilityId, scope);
      const items = await this.orders.lockItems(tx, orderId);
      const returned = await this.returns.returnedUnits(
        tx,
        request.items.map((item) => item.itemId),
      );
      for (const requested of request.items) {
        const item = items.find((candidate) => candidate.id === requested.itemId);
        if (!item) throw new NotFoundError(`order item ${requested.itemId} not found`);
        const refusal = overReturn(item, requested.quantity, returned.get(item.id) ?? 0);
        if (refusal) throw refusal;
      }
      const id = await this.returns.insert(tx, orderId, request.facilityId, request.items);
      await this.outbox.enqueue(tx, 'order.return_requested', orderId, { orderId, returnId: id, facilityId: request.facilityId });
      return id;
    });
    return this.get(id, scope);
  }

  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<ReturnView> {
    const found = await this.returns.find(this.db, id);
    if (!found || !reachesChannel(scope, found.salesChannel)) throw new NotFoundError(`return ${id} not found`);
    return toView(found);
  }

  async listOfOrder(orderId: string, scope: AccessScope = UNRESTRICTED): Promise<ReturnView[]> {
    const order = await this.orders.findById(this.db, orderId);
    if (!order || !reachesChannel(scope, order.salesChannel)) throw new NotFoundError(`order ${orderId} not found`);
    return (await this.returns.listOfOrder(this.db, orderId)).map(toView);
  }

  /** Receives the return at its facility; with `restock`, its units go back into stock there. */
  async receive(id: string, restock: boolean, actor: string, scope: AccessScope = UNRESTRICTED): Promise<ReturnView> {
    const { orderId } = await this.get(id, scope);
    const restocked = await this.db.transaction(async (tx) => {
      await lockVisibleOrder(this.orders, tx, orderId, scope);
      const returned = await this.lockReturn(tx, id, scope);
      if (returned.status === 'RECEIVED') {
        if (returned.restocked === restock) return [];
        throw new ConflictError(`return ${id} was received already with restock ${String(returned.restocked)}`);
      }
      await this.returns.markReceived(tx, id, restock);
      await this.returns.recordReceived(tx, returned);
      if (restock)
        await this.arrivals.putOnHand(tx, returned.facilityId, returned.items, { reason: RETURN_RESTOCK_REASON, actor, orderId: returned.orderId });
      await this.outbox.enqueue(tx, 'order.return_received', orderId, { orderId, returnId: id, facilityId: returned.facilityId, restocked: restock });
      return restock ? returned.items : [];
    });
    await this.cache.invalidate(invalidatedTags(restocked.map((item) => ({ topic: 'inventory.changed' as const, productId: item.productId }))));
    return this.get(id, scope);
  }

  private async lockReturn(tx: Queryable, id: string, scope: AccessScope): Promise<ScopedReturn> {
    const returned = await this.returns.lock(tx, id);
    if (!returned || !reachesChannel(scope, returned.salesChannel)) throw new NotFoundError(`return ${id} not found`);
    if (!reachesFacility(scope, returned.facilityId)) throw new NotFoundError(`facility ${returned.facilityId} not found`);
    return returned;
  }
}

function assertDistinctItems(items: NewReturnItem[]): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = item.itemId.toLowerCase();
    if (seen.has(key)) {
      throw new InvalidInputError(`item ${item.itemId} appears twice`, [{ field: `items[${index}].itemId`, message: 'appears twice in the return' }]);
    }
    seen.add(key);
  });
}
