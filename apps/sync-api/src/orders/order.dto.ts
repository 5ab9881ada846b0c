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
  ValidateNested,
} from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '@app/data';
import { IsLatitude, IsLongitude, IsMoney, PageQueryDto } from '../api/common.dto';

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

  @IsLatitude()
  latitude: number;

  @IsLongitude()
  longitude: number;
}

export class OrderLineDto {
  /** Give productId or sku. */
  @IsOptional()
  @IsUUID()
  productId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  sku?: string;

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

export class FulfillmentDto {
  @IsUUID()
  facilityId: string;
}
