import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { Facility, FacilityType } from '../entities/facility.entity';
import { outboxInsert } from '../outbox/outbox-insert';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';

const FACILITY_COLUMNS = selectColumns(Facility);

export interface FacilityFields {
  code: string;
  name: string;
  type: FacilityType;
  latitude: number;
  longitude: number;
  canShip: boolean;
  canPickup: boolean;
  allowBrokering: boolean;
  /** null: unlimited. */
  maximumOrdersPerDay: number | null;
}

/** SQL of facilities; a duplicate code surfaces as the database's unique violation. */
@Injectable()
export class FacilitiesRepository {
  async insert(db: Queryable, facility: FacilityFields): Promise<Facility> {
    const [row] = await db.query<Facility>(
      `INSERT INTO facility (code, name, type, latitude, longitude, can_ship, can_pickup, allow_brokering, maximum_orders_per_day)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${FACILITY_COLUMNS}`,
      [
        facility.code,
        facility.name,
        facility.type,
        facility.latitude,
        facility.longitude,
        facility.canShip,
        facility.canPickup,
        facility.allowBrokering,
        facility.maximumOrdersPerDay,
      ],
    );
    return row;
  }

  async findById(db: Queryable, id: string): Promise<Facility | undefined> {
    const [row] = await db.query<Facility>(`SELECT ${FACILITY_COLUMNS} FROM facility WHERE id = $1`, [id]);
    return row;
  }

  page(db: Queryable, page: PageRequest): Promise<Page<Facility>> {
    return keysetPage<Facility>(db, { select: FACILITY_COLUMNS, from: 'facility', filters: [], params: [], direction: 'asc' }, page);
  }

  /** Changes the given fields (undefined leaves one as it is; a null maximumOrdersPerDay makes the facility unlimited). */
  async update(db: Queryable, id: string, changes: Partial<Omit<FacilityFields, 'code'>>): Promise<Facility | undefined> {
    const event = outboxInsert(`SELECT 'facility.changed', id, jsonb_build_object('facilityId', id) FROM changed`, 11);
    const [row] = await db.query<Facility>(
      `WITH changed AS (
       UPDATE facility SET name = COALESCE($2, name), type = COALESCE($3, type), latitude = COALESCE($4, latitude),
              longitude = COALESCE($5, longitude), can_ship = COALESCE($6, can_ship), can_pickup = COALESCE($7, can_pickup),
              allow_brokering = COALESCE($8, allow_brokering),
              maximum_orders_per_day = CASE WHEN $9::boolean THEN $10::int ELSE maximum_orders_per_day END
        WHERE id = $1 RETURNING ${FACILITY_COLUMNS}
       ), event AS (${event.sql})
       SELECT * FROM changed`,
      [
        id,
        changes.name ?? null,
        changes.type ?? null,
        changes.latitude ?? null,
        changes.longitude ?? null,
        changes.canShip ?? null,
        changes.canPickup ?? null,
        changes.allowBrokering ?? null,
        changes.maximumOrdersPerDay !== undefined,
        changes.maximumOrdersPerDay ?? null,
        ...event.params,
      ],
    );
    return row;
  }
}
