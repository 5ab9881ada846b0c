import type { FacilityType } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class FacilityDto {
  @UuidProperty()
  id: string;

  /** @example "WH-EAST" */
  code: string;

  /** @example "East Coast DC" */
  name: string;

  type: FacilityType;

  /** @example 40.7128 */
  latitude: number;

  /** @example -74.006 */
  longitude: number;

  /** Ships online orders. */
  canShip: boolean;

  /** Offers store pickup. */
  canPickup: boolean;

  /** Takes part in brokering; false: never a brokering candidate. */
  allowBrokering: boolean;

  /** The most orders brokering allocates here per day (the date in BROKERING_TZ): null unlimited, 0 none. @example 200 */
  @IntegerProperty({ nullable: true, minimum: 0 })
  maximumOrdersPerDay: number | null;

  createdAt: Date;

  updatedAt: Date;
}

export class FacilityPageDto extends PageDto(FacilityDto) {}

/** A facility's capacity on one day. */
export class FacilityCapacityDto {
  @UuidProperty()
  facilityId: string;

  /** The day, YYYY-MM-DD in BROKERING_TZ. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** null: unlimited; 0: takes no orders. @example 200 */
  @IntegerProperty({ nullable: true, minimum: 0 })
  maximumOrdersPerDay: number | null;

  /** Orders allocated here that day, each counted once, when its first item was allocated here. @example 120 */
  @IntegerProperty({ minimum: 0 })
  ordersAllocated: number;

  /** How many more orders the facility takes that day: null when unlimited, never below 0. @example 80 */
  @IntegerProperty({ nullable: true, minimum: 0 })
  remaining: number | null;
}
