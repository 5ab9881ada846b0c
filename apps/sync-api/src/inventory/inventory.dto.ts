import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, NotEquals, ValidateIf } from 'class-validator';

const MAX_QUANTITY = 1_000_000_000;

/** Either or both of on hand and the brokering safety stock. */
export class SetOnHandDto {
  /** Absolute on-hand quantity, e.g. from a cycle count; may be left out when `minimumStock` is given. @example 120 */
  @ValidateIf((body: SetOnHandDto) => body.quantityOnHand !== undefined || body.minimumStock === undefined)
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantityOnHand?: number;

  /** Brokering safety stock: brokering allocates only what is available to promise above it. @example 3 */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  minimumStock?: number;

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
