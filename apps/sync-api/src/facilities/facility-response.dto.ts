import type { FacilityType } from '@app/data';
import { PageDto } from '../api/page.dto';
import { UuidProperty } from '../api/schema-properties';

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

  createdAt: Date;

  updatedAt: Date;
}

export class FacilityPageDto extends PageDto(FacilityDto) {}
