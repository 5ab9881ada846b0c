import { ApiProperty } from '@nestjs/swagger';
import { RETURN_REASONS, RETURN_STATUSES, type ReturnReason, type ReturnStatus } from '@app/data';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class ReturnItemRequestDto {
  /** An item of the order that has shipped or been handed over. */
  @IsUUID()
  itemId: string;

  /** Units that come back; with the other returns of the item, at most the item's quantity. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  @ApiProperty({ enum: RETURN_REASONS })
  @IsIn(RETURN_REASONS)
  reason: ReturnReason;
}

export class CreateReturnDto {
  /** Each item once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReturnItemRequestDto)
  items: ReturnItemRequestDto[];

  /** The facility that takes the goods back. */
  @IsUUID()
  facilityId: string;
}

export class ReceiveReturnDto {
  /** Whether the received units go back into stock at the return's facility. */
  @IsBoolean()
  restock: boolean;
}

export class ReturnItemDto {
  @UuidProperty()
  itemId: string;

  @UuidProperty()
  productId: string;

  @IntegerProperty()
  quantity: number;

  @ApiProperty({ enum: RETURN_REASONS })
  reason: ReturnReason;
}

export class ReturnDto {
  @UuidProperty()
  id: string;

  @UuidProperty()
  orderId: string;

  /** The facility that takes the goods back. */
  @UuidProperty()
  facilityId: string;

  @ApiProperty({ enum: RETURN_STATUSES })
  status: ReturnStatus;

  /** Whether the received units went back into stock; null until received. */
  @ApiProperty({ type: Boolean, nullable: true })
  restocked: boolean | null;

  items: ReturnItemDto[];

  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedAt: Date | null;
}
