import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsLatitude, IsLongitude } from '../api/common.dto';
import { IsLocalDate } from '../reports/is-local-date.validator';
import type { FacilityType } from '@app/data';

const FACILITY_TYPES: FacilityType[] = ['WAREHOUSE', 'STORE'];

export class CreateFacilityDto {
  /** Unique code. @example "WH-EAST" */
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'code may contain letters, digits and . _ - only' })
  code: string;

  /** @example "East Coast DC" */
  @IsString()
  @Length(1, 500)
  name: string;

  @IsIn(FACILITY_TYPES)
  type: FacilityType;

  /** @example 40.7128 */
  @IsLatitude()
  latitude: number;

  /** @example -74.006 */
  @IsLongitude()
  longitude: number;

  /** Ships online orders (default true). */
  @IsOptional()
  @IsBoolean()
  canShip?: boolean;

  /** Offers store pickup (default: true for stores). */
  @IsOptional()
  @IsBoolean()
  canPickup?: boolean;

  /** Takes part in brokering (default: true); false: never a brokering candidate, from the next brokering batch on. */
  @IsOptional()
  @IsBoolean()
  allowBrokering?: boolean;

  /**
   * The most orders brokering allocates here per day (the date in BROKERING_TZ): null (the default)
   * unlimited, 0 none. An order counts once, when its first item is allocated here. @example 200
   */
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maximumOrdersPerDay?: number | null;
}

/** Absent fields stay as they are; null is refused (it would be a silent no-op), except maximumOrdersPerDay's (unlimited). */
export class UpdateFacilityDto extends PartialType(OmitType(CreateFacilityDto, ['code'] as const), { skipNullProperties: false }) {}

export class FacilityCapacityQueryDto {
  /** The day (YYYY-MM-DD in BROKERING_TZ; default today there). @example "2026-03-01" */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsLocalDate()
  date?: string;
}
