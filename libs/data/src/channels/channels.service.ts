import { Injectable } from '@nestjs/common';
import { CacheInvalidator } from '@app/cache';
import { InvalidInputError, NotFoundError } from '@app/platform';
import { invalidatedTags } from '../common/cache-tags';
import { conflictOnDuplicate } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import type { SalesChannelType } from '../entities/sales-channel.entity';
import type { Queryable } from '../read-routing/queryable';
import { ChannelsRepository, ChannelView } from './channels.repository';

export type { ChannelView } from './channels.repository';

export interface ChannelInput {
  code: string;
  name: string;
  type: SalesChannelType;
  webhookSecret?: string;
  /** A facility group's code; left out: every facility. */
  facilityGroup?: string;
  /** Whether availability counts what open purchase orders bring; default false. */
  preorderFromPurchaseOrders?: boolean;
}

export interface ChannelUpdate {
  name?: string;
  webhookSecret?: string;
  /** A facility group's code, or null for every facility. */
  facilityGroup?: string | null;
  preorderFromPurchaseOrders?: boolean;
}

/** Sales channels: where orders come from and which stock each may sell. Changes are read by every instance at once (channel availability's cache is dropped). */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly channels: ChannelsRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async create(input: ChannelInput): Promise<ChannelView> {
    if (input.type === 'SHOPIFY' && input.webhookSecret === undefined) {
      throw new InvalidInputError('a SHOPIFY channel needs its webhookSecret', [{ field: 'webhookSecret', message: 'is required for type SHOPIFY' }]);
    }
    return this.db.transaction(async (tx) => {
      const facilityGroupId = input.facilityGroup === undefined ? null : await this.groupId(tx, input.facilityGroup);
      await conflictOnDuplicate(this.channels.insert(tx, { ...input, facilityGroupId }), `a channel with code ${input.code} already exists`);
      return this.getIn(tx, input.code);
    });
  }

  async update(code: string, update: ChannelUpdate): Promise<ChannelView> {
    const channel = await this.db.transaction(async (tx) => {
      const facilityGroupId = update.facilityGroup == null ? update.facilityGroup : await this.groupId(tx, update.facilityGroup);
      if (!(await this.channels.update(tx, code, { ...update, facilityGroupId }))) throw new NotFoundError(`channel ${code} not found`);
      return this.getIn(tx, code);
    });
    await this.stockScopeChanged();
    return channel;
  }

  /** Units of every product the channel holds back from its availability. */
  async setThreshold(code: string, units: number): Promise<ChannelView> {
    const channel = await this.db.transaction(async (tx) => {
      if (!(await this.channels.update(tx, code, { thresholdUnits: units }))) throw new NotFoundError(`channel ${code} not found`);
      return this.getIn(tx, code);
    });
    await this.stockScopeChanged();
    return channel;
  }

  get(code: string): Promise<ChannelView> {
    return this.getIn(this.db, code);
  }

  list(): Promise<ChannelView[]> {
    return this.channels.list(this.db);
  }

  /** The database has recomputed the channel's availability at the commit; cached reads of it go now, on every instance. */
  private stockScopeChanged(): Promise<void> {
    return this.cache.invalidate(invalidatedTags([{ topic: 'channel_stock.changed' }]));
  }

  private async getIn(db: Queryable, code: string): Promise<ChannelView> {
    const channel = await this.channels.find(db, code);
    if (!channel) throw new NotFoundError(`channel ${code} not found`);
    return channel;
  }

  private async groupId(db: Queryable, groupCode: string): Promise<string> {
    const id = await this.channels.facilityGroupId(db, groupCode);
    if (id === undefined)
      throw new InvalidInputError(`unknown facility group ${groupCode}`, [
        { field: 'facilityGroup', message: 'must name an existing facility group (code)' },
      ]);
    return id;
  }
}
