import { CacheInvalidator } from '@app/cache';
import { invalidatedTags } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { ConflictError, NotFoundError } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import type { InventoryItem } from '../entities/inventory-item.entity';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import { InventoryJournal } from './inventory-journal';
import { InventoryKey, InventoryRepository, LedgerRow, StockLevels } from './inventory.repository';

/** The most a facility can hold of one product (also the API's bound on quantities). */
export const MAX_QUANTITY_ON_HAND = 1_000_000_000;

export interface InventoryChange extends InventoryKey {
  reason: string;
  /** Who made the change: an API key id, or "system" for the platform's own work. */
  actor: string;
}

/** A facility outside the caller's scope is not found, as if it did not exist. */
function assertReaches(scope: AccessScope, key: InventoryKey): void {
  if (!reachesFacility(scope, key.facilityId)) throw new NotFoundError(`facility ${key.facilityId} not found`);
}

@Injectable()
export class InventoryService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly inventory: InventoryRepository,
    private readonly journal: InventoryJournal,
    private readonly cache: CacheInvalidator,
  ) {}

  /**
   * Absolute set of on hand (e.g. after a cycle count; refused when it would go below what is
   * reserved, and written to the ledger) and of the brokering safety stock, either or both.
   */
  async setOnHand(change: InventoryChange & StockLevels, scope: AccessScope = UNRESTRICTED): Promise<InventoryItem> {
    assertReaches(scope, change);
    const item = await this.db.transaction(async (tx) => {
      await this.assertProductAndFacilityExist(tx, change);
      const current = await this.inventory.lockOrCreate(tx, change);
      const { quantityOnHand, minimumStock } = change;
      if (quantityOnHand !== undefined && quantityOnHand < current.reserved) {
        throw new ConflictError(`quantityOnHand ${quantityOnHand} is below the ${current.reserved} units reserved`);
      }
      const item = await this.inventory.setLevels(tx, change, { quantityOnHand, minimumStock });
      if (quantityOnHand !== undefined) {
        await this.journal.record(tx, item, { onHandDelta: quantityOnHand - current.onHand, reason: change.reason, actor: change.actor });
      }
      return item;
    });
    await this.cache.invalidate(invalidatedTags([{ topic: 'inventory.changed', productId: change.productId }]));
    return item;
  }

  /** Relative change; the conditional updates make concurrent adjustments safe without locks. */
  async adjust(change: InventoryChange & { delta: number }, scope: AccessScope = UNRESTRICTED): Promise<InventoryItem> {
    assertReaches(scope, change);
    const adjusted = await this.db.transaction(async (tx) => {
      await this.assertProductAndFacilityExist(tx, change);
      const item =
        change.delta > 0
          ? await this.inventory.increaseOnHand(tx, change, change.delta, MAX_QUANTITY_ON_HAND)
          : await this.inventory.decreaseOnHand(tx, change, -change.delta);
      if (!item) {
        throw new ConflictError(
          `adjustment of ${change.delta} would take on-hand below zero, below what is reserved or above ${MAX_QUANTITY_ON_HAND}`,
        );
      }
      await this.journal.record(tx, item, { onHandDelta: change.delta, reason: change.reason, actor: change.actor });
      return item;
    });
    await this.cache.invalidate(invalidatedTags([{ topic: 'inventory.changed', productId: change.productId }]));
    return adjusted;
  }

  async list(filter: Partial<InventoryKey>, clientId?: string): Promise<InventoryItem[]> {
    return this.inventory.list(await this.reads.forListRead(clientId), filter);
  }

  /** A page of the row's history, newest first; 404 for an unknown facility or product. */
  async ledger(key: InventoryKey, page: PageRequest): Promise<Page<LedgerRow>> {
    const entries = await this.inventory.ledger(this.db, key, page);
    if (entries.items.length === 0) await this.assertProductAndFacilityExist(this.db, key);
    return entries;
  }

  private async assertProductAndFacilityExist(db: Queryable, key: InventoryKey): Promise<void> {
    const found = await this.inventory.productAndFacilityExist(db, key);
    if (!found.facility) throw new NotFoundError(`facility ${key.facilityId} not found`);
    if (!found.product) throw new NotFoundError(`product ${key.productId} not found`);
  }
}
