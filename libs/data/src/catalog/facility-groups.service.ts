import { Injectable } from '@nestjs/common';
import { CacheInvalidator } from '@app/cache';
import { NotFoundError } from '@app/platform';
import { invalidatedTags } from '../common/cache-tags';
import { conflictOnDuplicate } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import type { FacilityGroup, FacilityGroupMember } from '../entities/facility-group.entity';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import { ReadRouter } from '../read-routing/read-router';
import { FacilityGroupFields, FacilityGroupsRepository } from './facility-groups.repository';

export interface FacilityGroupView extends FacilityGroup {
  /** In the group's order: lower sequence first. */
  members: Omit<FacilityGroupMember, 'groupId'>[];
}

@Injectable()
export class FacilityGroupsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly groups: FacilityGroupsRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async create(fields: FacilityGroupFields): Promise<FacilityGroupView> {
    const group = await conflictOnDuplicate(this.groups.insert(this.db, fields), `a facility group with code ${fields.code} already exists`);
    return { ...group, members: [] };
  }

  async get(id: string): Promise<FacilityGroupView> {
    const group = await this.groups.findById(this.db, id);
    if (!group) throw new NotFoundError(`facility group ${id} not found`);
    return (await this.withMembers(this.db, [group]))[0];
  }

  async list(page: PageRequest, clientId?: string): Promise<Page<FacilityGroupView>> {
    const db = await this.reads.forListRead(clientId);
    const groups = await this.groups.page(db, page);
    return { items: await this.withMembers(db, groups.items), nextCursor: groups.nextCursor };
  }

  /** Puts the facility in the group at `sequence` (or moves it there); the group as it is then. */
  async setMember(member: FacilityGroupMember): Promise<FacilityGroupView> {
    if ((await this.groups.upsertMember(this.db, member)) === undefined) {
      await this.get(member.groupId);
      throw new NotFoundError(`facility ${member.facilityId} not found`);
    }
    await this.cache.invalidate(invalidatedTags([{ topic: 'channel_stock.changed' }]));
    return this.get(member.groupId);
  }

  async removeMember(groupId: string, facilityId: string): Promise<void> {
    if (!(await this.groups.deleteMember(this.db, groupId, facilityId))) {
      throw new NotFoundError(`facility ${facilityId} is not a member of facility group ${groupId}`);
    }
    await this.cache.invalidate(invalidatedTags([{ topic: 'channel_stock.changed' }]));
  }

  private async withMembers(db: Queryable, groups: FacilityGroup[]): Promise<FacilityGroupView[]> {
    const members = await this.groups.membersOf(
      db,
      groups.map((group) => group.id),
    );
    return groups.map((group) => ({
      ...group,
      members: members.filter((member) => member.groupId === group.id).map(({ facilityId, sequence }) => ({ facilityId, sequence })),
    }));
  }
}
