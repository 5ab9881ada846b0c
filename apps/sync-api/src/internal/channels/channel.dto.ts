import { SALES_CHANNEL_TYPES, type SalesChannelType } from '@app/data';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Channel codes appear in URLs (webhooks, availability): letters, digits, `_`, `-` and `.`. */
export const CHANNEL_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const isSet =
  <T>(property: keyof T) =>
  (body: T) =>
    body[property] !== undefined;

export class CreateChannelDto {
  /** Unique; names the channel in URLs and in API keys' `salesChannel`. @example "SHOPIFY_US" */
  @IsString()
  @Matches(CHANNEL_CODE, { message: 'code must be 1-100 letters, digits, _, - or . (starting with a letter or digit)' })
  code: string;

  /** @example "Shopify US store" */
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: SALES_CHANNEL_TYPES })
  @IsIn(SALES_CHANNEL_TYPES)
  type: SalesChannelType;

  /** The secret Shopify signs the channel's webhooks with (the app's client secret); required for SHOPIFY, never returned. */
  @ApiPropertyOptional({ writeOnly: true })
  @ValidateIf(isSet<CreateChannelDto>('webhookSecret'))
  @IsString()
  @Length(1, 200)
  webhookSecret?: string;

  /** The code of the facility group whose stock the channel sells; left out: every facility. @example "US_WAREHOUSES" */
  @ValidateIf(isSet<CreateChannelDto>('facilityGroup'))
  @IsString()
  @Length(1, 100)
  facilityGroup?: string;
  /** Whether the channel's availability counts what open purchase orders bring (sold as pre-orders); default false. */
  @ValidateIf(isSet<CreateChannelDto>('preorderFromPurchaseOrders'))
  @IsBoolean()
  preorderFromPurchaseOrders?: boolean;
}

export class UpdateChannelDto {
  /** @example "Shopify US store" */
  @ValidateIf(isSet<UpdateChannelDto>('name'))
  @IsString()
  @Length(1, 200)
  name?: string;

  /** A new webhook secret (rotation); never returned. */
  @ApiPropertyOptional({ writeOnly: true })
  @ValidateIf(isSet<UpdateChannelDto>('webhookSecret'))
  @IsString()
  @Length(1, 200)
  webhookSecret?: string;

  /** A facility group's code, or null for every facility. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((body: UpdateChannelDto) => body.facilityGroup !== undefined && body.facilityGroup !== null)
  @IsString()
  @Length(1, 100)
  facilityGroup?: string | null;
  /** Whether the channel's availability counts what open purchase orders bring (sold as pre-orders). */
  @ValidateIf(isSet<UpdateChannelDto>('preorderFromPurchaseOrders'))
  @IsBoolean()
  preorderFromPurchaseOrders?: boolean;
}

export class ChannelThresholdDto {
  /** Units of every product held back from the channel's availability. @example 2 */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  units: number;
}

export class ChannelDto {
  /** @example "SHOPIFY_US" */
  code: string;
  /** @example "Shopify US store" */
  name: string;
  @ApiProperty({ enum: SALES_CHANNEL_TYPES })
  type: SalesChannelType;
  /** The facility group (code) whose stock the channel sells; null: every facility. */
  @ApiProperty({ type: String, nullable: true })
  facilityGroup: string | null;
  /** Units of every product held back from the channel's availability. */
  thresholdUnits: number;
  /** Whether availability counts the open quantity of purchase orders due at the channel's facilities. */
  preorderFromPurchaseOrders: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export class ChannelListDto {
  @ApiProperty({ type: [ChannelDto] })
  items: ChannelDto[];
}
