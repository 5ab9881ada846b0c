import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import {
  DEFAULT_SHIPPING_METHOD,
  HOLD_NOTE_MAX_LENGTH,
  HOLD_REASONS,
  type HoldReason,
  ORDER_PRIORITY,
  ORDER_STATUSES,
  ORDER_TAGS,
  type OrderStatus,
  REJECTION_REASONS,
  type RejectionReason,
  SHIPPING_METHODS,
  type ShippingMethod,
} from '@app/data';
import { IsLatitude, IsLongitude, IsMoney, isSent, PageQueryDto, ProductReferenceDto } from '../api/common.dto';
import { IsLocalDate } from '../reports/is-local-date.validator';

export class CustomerDto {
  /** @example "ada@example.com" */
  @IsEmail()
  @MaxLength(320)
  email: string;

  /** @example "Ada Lovelace" */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class ShippingAddressDto {
  @IsString()
  @Length(1, 200)
  line1: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  line2?: string;

  @IsString()
  @Length(1, 100)
  city: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;

  @IsString()
  @Length(1, 20)
  postalCode: string;

  /** ISO 3166-1 alpha-2. @example "US" */
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a 2-letter ISO 3166 code' })
  country: string;

  /** With longitude, or neither: without coordinates the address is as near to every facility as any other. @example 40.75 */
  @ValidateIf(isSent)
  @IsLatitude()
  latitude?: number;

  /** With latitude, or neither. @example -73.99 */
  @ValidateIf(isSent)
  @IsLongitude()
  longitude?: number;
}

export class OrderLineDto extends ProductReferenceDto {
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  /** Defaults to the product's price. @example "19.99" */
  @IsOptional()
  @IsMoney()
  unitPrice?: string;
}

export class CreateOrderDto {
  /** The order's id in the selling channel; the same externalId always gives the same order. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer: CustomerDto;

  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress: ShippingAddressDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items: OrderLineDto[];

  /** Defaults to STANDARD. */
  @ApiProperty({ enum: SHIPPING_METHODS, required: false, default: DEFAULT_SHIPPING_METHOD })
  @ValidateIf(isSent)
  @IsIn(SHIPPING_METHODS)
  shippingMethod?: ShippingMethod;

  /** The facility the customer collects the order at: required with shippingMethod PICKUP, refused otherwise; it must offer pickup. */
  @ValidateIf(isSent)
  @IsUUID()
  pickupFacilityId?: string;

  /** 0..9, higher is more urgent; defaults to 5. */
  @ApiProperty({ type: 'integer', minimum: ORDER_PRIORITY.min, maximum: ORDER_PRIORITY.max, default: ORDER_PRIORITY.default, required: false })
  @ValidateIf(isSent)
  @IsInt()
  @Min(ORDER_PRIORITY.min)
  @Max(ORDER_PRIORITY.max)
  priority?: number;

  /** The date promised to the customer (YYYY-MM-DD). */
  @ApiProperty({ type: String, format: 'date', required: false, example: '2026-03-15' })
  @ValidateIf(isSent)
  @IsLocalDate()
  promiseDate?: string;

  /** At most 20 tags of 1 to 64 characters; stored without duplicates. */
  @ApiProperty({ maxItems: ORDER_TAGS.maxCount, required: false, example: ['gift', 'vip'] })
  @ValidateIf(isSent)
  @IsArray()
  @ArrayMaxSize(ORDER_TAGS.maxCount)
  @IsString({ each: true })
  @Length(ORDER_TAGS.minLength, ORDER_TAGS.maxLength, { each: true })
  tags?: string[];
}

/**
 * What customer service may change on an order; fields left out stay as they are. A new address,
 * method, pickup facility, priority or promise date routes the items not yet picked again.
 */
export class UpdateOrderDto extends PartialType(
  PickType(CreateOrderDto, ['shippingAddress', 'shippingMethod', 'pickupFacilityId', 'priority', 'tags'] as const),
  {
    skipNullProperties: false,
  },
) {
  /** The date promised to the customer (YYYY-MM-DD); null clears it. */
  @ApiProperty({ type: String, format: 'date', nullable: true, required: false, example: '2026-03-15' })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsLocalDate()
  promiseDate?: string | null;
}

export class ListOrdersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  /** Only the orders of this sales channel. @example "SHOPIFY" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  salesChannel?: string;

  /** Only the order with this id in its selling channel (with `salesChannel`, at most one). @example "1001" */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;

  /** Only the orders that carry this tag. @example "gift" */
  @IsOptional()
  @IsString()
  @Length(ORDER_TAGS.minLength, ORDER_TAGS.maxLength)
  tag?: string;
}

export class CancelOrderDto {
  /** Cancelling needs no body; a body may only give a reason. */
  static readonly bodyIsOptional = true;

  /** Recorded in the inventory ledger for released reservations. @example "customer request" */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class HoldOrderDto {
  @ApiProperty({ enum: HOLD_REASONS })
  @IsIn(HOLD_REASONS)
  reason: HoldReason;

  /** Why, in the words of whoever holds it. @example "customer asked to wait for a second parcel" */
  @IsOptional()
  @IsString()
  @Length(1, HOLD_NOTE_MAX_LENGTH)
  note?: string;
}

export class FulfillmentDto {
  @IsUUID()
  facilityId: string;

  /** @example "UPS" */
  @ValidateIf(isSent)
  @IsString()
  @Length(1, 100)
  carrier?: string;

  /** @example "1Z999AA10123456784" */
  @ValidateIf(isSent)
  @IsString()
  @Length(1, 100)
  trackingNumber?: string;

  /** The carrier's service level. @example "GROUND" */
  @ValidateIf(isSent)
  @IsString()
  @Length(1, 100)
  service?: string;
}

export class RejectItemDto {
  /** Why the facility cannot fulfil the item; each reason has its effect on the facility's stock on hand (docs/api.md). */
  @ApiProperty({ enum: REJECTION_REASONS })
  @IsIn(REJECTION_REASONS)
  reason: RejectionReason;

  /** What the facility's staff add. @example "box crushed" */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}
