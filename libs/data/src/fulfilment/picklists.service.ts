import { ConflictError, NotFoundError } from '@app/platform';
import { assertVisibleFacility } from '../orders/visible-order';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { PrimaryDatabase } from '../database/primary-database';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PicklistsRepository, PicklistView } from './picklists.repository';

export const DEFAULT_PICKLIST_LIMIT = 50;
export const MAX_PICKLIST_LIMIT = 200;

export interface NewPicklist {
  facilityId: string;
  limit?: number;
  orderIds?: string[];
}

/**
 * Picklists: a picker at a facility takes the allocated items no open picklist holds, oldest order
 * first; they become PICKING (history) and a `picklist.created` event is written in the same
 * transaction. No stock moves: the items keep their reservations until they ship.
 */
@Injectable()
export class PicklistsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly picklists: PicklistsRepository,
    private readonly orders: OrdersRepository,
    private readonly statuses: StatusChangesRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** A new open picklist; a ConflictError when no item there waits to be picked, a NotFoundError for a facility `scope` does not reach. */
  async create(input: NewPicklist, actor: string, scope: AccessScope = UNRESTRICTED): Promise<PicklistView> {
    const { facilityId } = input;
    const id = await this.db.transaction(async (tx) => {
      await assertVisibleFacility(this.orders, tx, facilityId, scope);
      const items = await this.picklists.lockPickableItems(tx, {
        facilityId,
        limit: input.limit ?? DEFAULT_PICKLIST_LIMIT,
        orderIds: input.orderIds ?? null,
        channels: scope.channels,
      });
      if (items.length === 0) throw new ConflictError(`no allocated item at facility ${facilityId} waits to be picked`);
      const itemIds = items.map((item) => item.itemId);
      const picklistId = await this.picklists.insert(tx, facilityId, itemIds, actor);
      await this.statuses.moveItems(
        tx,
        itemIds.map((itemId) => ({ itemId, status: 'PICKING', history: { note: `picklist ${picklistId}` } })),
      );
      await this.outbox.enqueue(tx, 'picklist.created', picklistId, {
        picklistId,
        facilityId,
        orderIds: [...new Set(items.map((item) => item.orderId))],
        itemIds,
      });
      return picklistId;
    });
    return this.get(id);
  }

  /** Completes an open picklist (its items stay PICKING until packed); a completed one answers as it is. */
  async complete(id: string, scope: AccessScope = UNRESTRICTED): Promise<PicklistView> {
    await this.db.transaction(async (tx) => {
      const picklist = await this.picklists.lock(tx, id);
      if (!picklist || !reachesFacility(scope, picklist.facilityId)) throw new NotFoundError(`picklist ${id} not found`);
      if (picklist.status === 'COMPLETED') return;
      await this.picklists.complete(tx, id);
      await this.outbox.enqueue(tx, 'picklist.completed', id, { picklistId: id, facilityId: picklist.facilityId });
    });
    return this.get(id, scope);
  }

  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<PicklistView> {
    const picklist = await this.picklists.find(this.db, id);
    if (!picklist || !reachesFacility(scope, picklist.facilityId)) throw new NotFoundError(`picklist ${id} not found`);
    return picklist;
  }
}
