import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { FacilityGroup, FacilityGroupMember, FacilityGroupType } from '../entities/facility-group.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';

const GROUP_COLUMNS = selectColumns(FacilityGroup);
const MEMBER_COLUMNS = selectColumns(FacilityGroupMember);

export interface FacilityGroupFields {
  code: string;
  name: string;
  type: FacilityGroupType;
}

/** SQL of facility groups and their members; a duplicate code surfaces as the database's unique violation. */
@Injectable()
export class FacilityGroupsRepository {
  async insert(db: Queryable, group: FacilityGroupFields): Promise<FacilityGroup> {
    const [row] = await db.query<FacilityGroup>(`INSERT INTO facility_group (code, name, type) VALUES ($1, $2, $3) RETURNING ${GROUP_COLUMNS}`, [
      group.code,
      group.name,
      group.type,
    ]);
    return row;
  }

  async findById(db: Queryable, id: string): Promise<FacilityGroup | undefined> {
    const [row] = await db.query<FacilityGroup>(`SELECT ${GROUP_COLUMNS} FROM facility_group WHERE id = $1`, [id]);
    return row;
  }

  page(db: Queryable, page: PageRequest): Promise<Page<FacilityGroup>> {
    return keysetPage<FacilityGroup>(db, { select: GROUP_COLUMNS, from: 'facility_group', filters: [], params: [], direction: 'asc' }, page);
  }

  /** The members of these groups, each group's in its order (sequence, then facility id). */
  membersOf(db: Queryable, groupIds: string[]): Promise<FacilityGroupMember[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return db.query<FacilityGroupMember>(
      `SELECT ${MEMBER_COLUMNS} FROM facility_group_member WHERE group_id = ANY($1::uuid[]) ORDER BY group_id, sequence, facility_id`,
      [groupIds],
    );
  }

  /** Adds the facility to the group or moves it to `sequence`; undefined when the group or the facility does not exist. */
  async upsertMember(db: Queryable, member: FacilityGroupMember): Promise<FacilityGroupMember | undefined> {
    const [row] = await db.query<FacilityGroupMember>(
      `INSERT INTO facility_group_member (group_id, facility_id, sequence)
       SELECT g.id, f.id, $3 FROM facility_group g, facility f WHERE g.id = $1 AND f.id = $2
       ON CONFLICT (group_id, facility_id) DO UPDATE SET sequence = EXCLUDED.sequence
       RETURNING ${MEMBER_COLUMNS}`,
      [member.groupId, member.facilityId, member.sequence],
    );
    return row;
  }

  /** Whether the facility was a member of the group (and no longer is). */
  async deleteMember(db: Queryable, groupId: string, facilityId: string): Promise<boolean> {
    const rows = await db.query('DELETE FROM facility_group_member WHERE group_id = $1 AND facility_id = $2 RETURNING 1', [groupId, facilityId]);
    return rows.length > 0;
  }
}
