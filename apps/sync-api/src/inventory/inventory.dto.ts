import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, NotEquals } from 'class-validator';

const MAX_QUANTITY = 1_000_000_000;

export class SetOnHandDto {
  /** Absolute on-hand quantity, e.g. from a cycle count. @example 120 */
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantityOnHand: number;

  /** @example "cycle count" */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class InventoryAdjustmentDto {
  @IsUUID()
  facilityId: string;

  @IsUUID()
  productId: string;

  /** Non-zero change of on hand. @example -2 */
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_QUANTITY)
  @Max(MAX_QUANTITY)
  delta: number;

  /** @example "damaged in store" */
  @IsString()
  @Length(1, 200)
  reason: string;
}

export class ListInventoryQueryDto {
  @IsOptional()
  @IsUUID()
  productId?: string;

  @IsOptional()
  @IsUUID()
  facilityId?: string;
}
