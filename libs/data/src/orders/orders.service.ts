import { CacheInvalidator } from '@app/cache';
import { CachedWrite, invalidatedTags } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, UnprocessableError } from '@app/platform';
import { candidateHolds } from '../approval/approval-rules';
import { ApprovalRulesService } from '../approval/approval-rules.service';
import { AccessScope, reachesChannel, UNRESTRICTED } from '../api-keys/api-key-access';
import { requestFingerprint } from '../common/canonical-json';
import { PrimaryDatabase } from '../database/primary-database';
import type { ShippingAddress } from '../entities/sales-order.entity';
import { ItemReservations } from '../inventory/item-reservations';
import { ORDER_ITEM_TRANSITIONS } from '../lifecycle/order-transitions';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { holdsReservation, OrderStatus } from '../lifecycle/statuses';
import { canTransition } from '../lifecycle/transition-table';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import { OrderFieldsInput, orderFields, pickupFacilityRefusal } from './order-fields';
import { linesToPrice, OrderLineInput, pricingRefusal } from './order-lines';
import { newOrderView, OrderItemRow, OrderRow, OrderView, toOrderView } from './order.view';
import { lockVisibleOrder } from './visible-order';
import { IdempotencyKey, NewOrder, OrderFilter, OrderHistoryView, OrdersRepository } from './orders.repository';

export type { OrderHistoryView } from './orders.repository';

export interface CreateOrderInput extends OrderFieldsInput {
  externalId?: string;
  /** The currency the channel priced the lines in: the catalog's must be the same (a 400 otherwise). Left out: the catalog's. */
  currency?: string;
  customer: { email: string; name?: string };
  shippingAddress: ShippingAddress;
  items: OrderLineInput[];
}

export interface Requester {
  /** Null for orders a channel sends itself (Shopify's webhooks), which carry no Idempotency-Key. */
  apiKeyId: string | null;
  /** The sales channel the API key belongs to: external ids are unique within it. */
  salesChannel: string;
  idempotencyKey?: string;
}

/** The stock write of a released, shipped, new or cancelled item (its product's availability changed). */
function stockWrite(item: Pick<OrderItemRow, 'productId'>): CachedWrite {
  return { topic: 'inventory.changed', productId: item.productId };
}

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly orders: OrdersRepository,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly statuses: StatusChangesRepository,
    private readonly approval: ApprovalRulesService,
    private readonly reservations: ItemReservations,
  ) {}

  /**
   * Creates the order (approved at once, or HELD by the first approval rule it matches), its items and its `order.created` outbox event with one
   * statement, which also prices the lines (a 400 naming each line that does not price) and checks
   * the pickup facility. The same Idempotency-Key (per API key) or the same externalId (per sales
   * channel) gives back the order created first, and the key with another body a 422; another
   * channel's order is never returned.
   */
  async create(input: CreateOrderInput, requester: Requester): Promise<{ order: OrderView; created: boolean }> {
    const fields = orderFields(input);
    const lines = linesToPrice(input.items);
    const { externalId, customer, shippingAddress, currency } = input;
    const order = { externalId, customer, shippingAddress, currency, ...fields, apiKeyId: requester.apiKeyId, salesChannel: requester.salesChannel };
    // The body as sent, not with its defaults: a replay of a body stored before a field existed still matches.
    const idempotency =
      requester.idempotencyKey === undefined ? undefined : { key: requester.idempotencyKey, requestHash: requestFingerprint(input) };
    const holds = candidateHolds(await this.approval.current(), {
      country: shippingAddress.country,
      salesChannel: requester.salesChannel,
      tags: fields.tags,
      email: customer.email,
    });
    const inserted = await this.orders.insertOrder(this.db, order, lines, idempotency, holds);
    switch (inserted.outcome) {
      case 'created':
        // The new items wait for brokering: what they order no channel may sell again.
        await this.cache.invalidate(invalidatedTags(inserted.items.map(stockWrite)));
        return { order: newOrderView(inserted.order, inserted.items), created: true };
      case 'refused':
        if (inserted.verdict.pickupFacility !== null) throw pickupFacilityRefusal(fields.pickupFacilityId!, inserted.verdict.pickupFacility);
        throw pricingRefusal(input.items, inserted.verdict, currency);
      case 'taken':
        return { order: await this.get(await this.replayedOrderId(order, idempotency)), created: false };
    }
  }

  /** The order, if `scope` reaches its channel: one outside it is not found, as if it did not exist. */
  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const order = await this.visibleOrder(id, scope);
    return toOrderView(order, await this.orders.itemsOf(this.db, [id]));
  }

  /** The order's history, oldest first, if `scope` reaches its channel. */
  async history(id: string, scope: AccessScope = UNRESTRICTED): Promise<OrderHistoryView[]> {
    await this.visibleOrder(id, scope);
    return this.orders.historyOf(this.db, id);
  }

  /** Orders of the channels `scope` reaches, newest first. */
  async list(filter: OrderFilter & PageRequest, clientId?: string, scope: AccessScope = UNRESTRICTED): Promise<Page<OrderView>> {
    const db = await this.reads.forListRead(clientId);
    const page = await this.orders.page(db, { ...filter, channels: scope.channels });
    const items = await this.orders.itemsOf(
      db,
      page.items.map((order) => order.id),
    );
    return { items: page.items.map((order) => toOrderView(order, items)), nextCursor: page.nextCursor };
  }

  /**
   * Cancels the order and its items, and releases what it reserved. Refused (a ConflictError naming
   * the item's status) once an item is past what the transitions table lets be cancelled (packed,
   * shipped, handed over), before anything is written.
   */
  async cancel(id: string, actor: string, reason = 'order cancelled', scope: AccessScope = UNRESTRICTED): Promise<OrderView> {
    const released = await this.db.transaction(async (tx) => {
      if ((await this.lockOrder(tx, id, scope)) === 'CANCELLED') return [];
      const items = (await this.orders.lockItems(tx, id)).filter((item) => item.status !== 'CANCELLED');
      const advanced = items.find((item) => !canTransition(ORDER_ITEM_TRANSITIONS, item.status, 'CANCELLED'));
      if (advanced !== undefined) throw new ConflictError(`order ${id} has an item ${advanced.status} and cannot be cancelled`);
      await this.statuses.moveItems(
        tx,
        items.map((item) => ({ itemId: item.id, status: 'CANCELLED' })),
      );
      await this.statuses.moveOrders(tx, [{ orderId: id, status: 'CANCELLED' }]);
      await this.reservations.release(tx, items.filter(holdsReservation), { reason, actor });
      await this.outbox.enqueue(tx, 'order.cancelled', id, { orderId: id });
      // Reserved or waiting, the items held units back from the channels' availability.
      return items;
    });
    await this.cache.invalidate(invalidatedTags(released.map(stockWrite)));
    return this.get(id);
  }

  /**
   * The order a replay gives back, once the insert found its key or externalId taken: the order
   * that holds the key (a 422 if it came with another body), else the channel's order with that
   * externalId, for which the key is remembered.
   */
  private async replayedOrderId(order: NewOrder, idempotency?: IdempotencyKey): Promise<string> {
    const { apiKeyId, salesChannel, externalId } = order;
    const { record, externalOrderId } = await this.orders.findReplay(this.db, {
      apiKeyId,
      salesChannel,
      externalId,
      idempotencyKey: idempotency?.key,
    });
    if (record) {
      if (record.requestHash !== idempotency?.requestHash) {
        throw new UnprocessableError('Idempotency-Key was already used with a different request body');
      }
      return record.orderId;
    }
    // What the insert found taken was committed, and orders are never deleted: without a record, the externalId's order is there.
    const orderId = externalOrderId!;
    if (idempotency === undefined || apiKeyId === null || (await this.orders.rememberIdempotencyKey(this.db, apiKeyId, idempotency, orderId)))
      return orderId;
    // Another request claimed the key in between, and committed: its record decides.
    return this.replayedOrderId(order, idempotency);
  }

  /** The id of the channel's order with this externalId, if there is one. */
  async idByExternalId(salesChannel: string, externalId: string): Promise<string | undefined> {
    return (await this.orders.findReplay(this.db, { apiKeyId: null, salesChannel, externalId })).externalOrderId;
  }

  private async visibleOrder(id: string, scope: AccessScope): Promise<OrderRow> {
    const order = await this.orders.findById(this.db, id);
    if (!order || !reachesChannel(scope, order.salesChannel)) throw new NotFoundError(`order ${id} not found`);
    return order;
  }

  private async lockOrder(tx: Queryable, id: string, scope: AccessScope): Promise<OrderStatus> {
    return (await lockVisibleOrder(this.orders, tx, id, scope)).status;
  }
}
