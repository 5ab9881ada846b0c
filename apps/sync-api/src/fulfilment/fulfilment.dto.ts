import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_PICKLIST_LIMIT } from '@app/data';
import { isSent } from '../api/common.dto';

export class CreatePicklistDto {
  static readonly bodyIsOptional = true;

  /** At most this many items, oldest order first (default 50). @example 50 */
  @ValidateIf(isSent)
  @IsInt()
  @Min(1)
  @Max(MAX_PICKLIST_LIMIT)
  limit?: number;

  /** Only items of these orders. */
  @ValidateIf(isSent)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  orderIds?: string[];
}

/** A package's measures, each optional: whole grams and centimetres. */
export class ShipmentPackageDto {
  /** @example 1200 */
  @ValidateIf(isSent)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  weightGrams?: number;

  /** @example 30 */
  @ValidateIf(isSent)
  @IsInt()
  @Min(1)
  @Max(1000)
  lengthCm?: number;

  /** @example 20 */
  @ValidateIf(isSent)
  @IsInt()
  @Min(1)
  @Max(1000)
  widthCm?: number;

  /** @example 10 */
  @ValidateIf(isSent)
  @IsInt()
  @Min(1)
  @Max(1000)
  heightCm?: number;
}

export class CreateShipmentDto {
  @IsUUID()
  orderId: string;

  /** The facility that holds the items and packs them. */
  @IsUUID()
  facilityId: string;

  /** Items of the order, allocated or being picked at the facility. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  itemIds: string[];

  @ValidateIf(isSent)
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ShipmentPackageDto)
  packages?: ShipmentPackageDto[];
}

export class ShipShipmentDto {
  /** @example "UPS" */
  @IsString()
  @Length(1, 100)
  carrier: string;

  /** @example "1Z999AA10123456784" */
  @IsString()
  @Length(1, 100)
  trackingNumber: string;

  /** The carrier's service level. @example "GROUND" */
  @ValidateIf(isSent)
  @IsString()
  @Length(1, 100)
  service?: string;
}
