import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { RoutingFacility } from './routing-engine';

export type FacilityForRouting = Omit<RoutingFacility, 'remainingCapacity'>;

/** The facilities with what each may still take today (null: unlimited, or no capacity row read). */
export function withRemainingCapacity(
  facilities: FacilityForRouting[],
  capacity: { facilityId: string; remaining: number | null }[],
): RoutingFacility[] {
  const remaining = new Map(capacity.map((row) => [row.facilityId, row.remaining]));
  return facilities.map((facility) => ({ ...facility, remainingCapacity: remaining.get(facility.id) ?? null }));
}

/** What routing reads of facilities: every facility (the simulator explains each), with its group memberships. */
@Injectable()
export class RoutingFacilitiesRepository {
  read(db: Queryable): Promise<FacilityForRouting[]> {
    return db.query<FacilityForRouting>(
      `SELECT f.id, f.code, f.type, f.latitude::float8 AS latitude, f.longitude::float8 AS longitude, f.can_ship AS "canShip",
              f.can_pickup AS "canPickup", f.allow_brokering AS "allowBrokering",
              COALESCE(json_object_agg(g.code, m.sequence) FILTER (WHERE g.code IS NOT NULL), '{}') AS "groupSequences"
         FROM facility f
         LEFT JOIN facility_group_member m ON m.facility_id = f.id
         LEFT JOIN facility_group g ON g.id = m.group_id
        GROUP BY f.id
        ORDER BY f.id`,
    );
  }
}
