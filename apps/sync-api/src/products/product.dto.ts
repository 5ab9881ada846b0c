import { PartialType, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsMoney, PageQueryDto } from '../api/common.dto';

const SKU = /^[A-Za-z0-9._\-/:#]+$/;

export class CreateProductDto {
  /** Unique stock keeping unit. @example "TSHIRT-BLK-M" */
  @IsString()
  @Length(1, 64)
  @Matches(SKU, { message: 'sku may contain letters, digits and . _ - / : # only' })
  sku: string;

  /** @example "T-shirt, black, M" */
  @IsString()
  @Length(1, 500)
  name: string;

  /** Decimal string. @example "19.99" */
  @IsMoney()
  price: string;

  /** ISO 4217 code. @example "USD" */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency?: string;
}

/** Absent fields stay as they are; null is refused (it would be a silent no-op). */
export class UpdateProductDto extends PartialType(PickType(CreateProductDto, ['name', 'price'] as const), { skipNullProperties: false }) {}

export class ListProductsQueryDto extends PageQueryDto {
  /** Exact SKU. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  sku?: string;
}
