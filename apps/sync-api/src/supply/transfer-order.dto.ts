import { ApiProperty } from '@nestjs/swagger';
import { MAX_QUANTITY_ON_HAND, MAX_TRANSFER_ORDER_ITEMS, TRANSFER_ORDER_STATUSES, type TransferOrderStatus } from '@app/data';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../api/common.dto';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class TransferOrderItemRequestDto {
  @IsUUID()
  productId: string;

  /** Units to move, 1..1000000000; the source must have them available (on hand less reserved). */
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY_ON_HAND)
  quantity: number;
}

export class CreateTransferOrderDto {
  /** The facility the units leave; they are reserved there at once. */
  @IsUUID()
  from: string;

  /** The facility they go to; not the same as `from`. */
  @IsUUID()
  to: string;

  /** Each product once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSFER_ORDER_ITEMS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TransferOrderItemRequestDto)
  items: TransferOrderItemRequestDto[];
}

export class ListTransferOrdersQueryDto extends PageQueryDto {
  @ApiProperty({ enum: TRANSFER_ORDER_STATUSES, required: false })
  @IsOptional()
  @IsIn(TRANSFER_ORDER_STATUSES)
  status?: TransferOrderStatus;

  /** Only transfer orders from or to this facility. */
  @IsOptional()
  @IsUUID()
  facilityId?: string;
}

export class TransferOrderItemDto {
  @UuidProperty()
  productId: string;

  /** @example "TSHIRT-BLK-M" */
  sku: string;

  @IntegerProperty()
  quantity: number;
}

export class TransferOrderDto {
  @UuidProperty()
  id: string;

  /** The facility the units leave. */
  @UuidProperty()
  from: string;

  /** The facility they go to. */
  @UuidProperty()
  to: string;

  /** CREATED (reserved at `from`), SHIPPED (in transit), RECEIVED or CANCELLED. */
  @ApiProperty({ enum: TRANSFER_ORDER_STATUSES })
  status: TransferOrderStatus;

  items: TransferOrderItemDto[];

  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  shippedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: Date | null;
}

export class TransferOrderPageDto extends PageDto(TransferOrderDto) {}
