import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '@app/data';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto, ProductReferenceDto } from '../api/common.dto';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';
import { IsLocalDate } from '../reports/is-local-date.validator';

const MAX_QUANTITY = 1_000_000_000;

export class PurchaseOrderLineRequestDto extends ProductReferenceDto {
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;
}

export class CreatePurchaseOrderDto {
  /** The purchase order's number at the vendor or in the ERP; the same externalId always gives the same purchase order. @example "PO-2027-0042" */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;

  /** Where the units are due. */
  @IsUUID()
  facilityId: string;

  /** When the units are due (YYYY-MM-DD): the date pre-orders promised against this purchase order are promised. */
  @ApiProperty({ type: String, format: 'date', example: '2027-02-01' })
  @IsLocalDate()
  expectedDate: string;

  /** One line per product. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseOrderLineRequestDto)
  items: PurchaseOrderLineRequestDto[];
}

export class ChangePurchaseOrderDto {
  /** A new expected date (YYYY-MM-DD): the waiting pre-orders of its products are promised again. */
  @ApiProperty({ type: String, format: 'date', example: '2027-02-15' })
  @IsLocalDate()
  expectedDate: string;
}

export class ReceiptLineRequestDto {
  /** A product of the purchase order. */
  @IsUUID()
  productId: string;

  /** Units received; at most what the line still has open. */
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;
}

export class CreateReceiptDto {
  /** The delivery's reference (delivery note, advance ship notice), unique per purchase order: a receipt sent again with it (a retry after a timeout) is answered without receiving anything. @example "ASN-2027-0042" */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;

  /** Each product once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReceiptLineRequestDto)
  items: ReceiptLineRequestDto[];
}

export class ListPurchaseOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PURCHASE_ORDER_STATUSES })
  @IsOptional()
  @IsIn(PURCHASE_ORDER_STATUSES)
  status?: PurchaseOrderStatus;

  @IsOptional()
  @IsUUID()
  facilityId?: string;

  /** Purchase orders with a line of this product. */
  @IsOptional()
  @IsUUID()
  productId?: string;
}

export class PurchaseOrderLineDto {
  @IntegerProperty({ minimum: 1 })
  lineNumber: number;

  @UuidProperty()
  productId: string;

  sku: string;

  @IntegerProperty({ minimum: 1 })
  quantity: number;

  @IntegerProperty()
  receivedQuantity: number;

  /** Ordered and not received yet; 0 once the purchase order is RECEIVED or CLOSED. */
  @IntegerProperty()
  openQuantity: number;

  /** Units of waiting pre-orders promised against this line. */
  @IntegerProperty()
  promisedQuantity: number;
}

export class ReceiptLineDto {
  @UuidProperty()
  productId: string;

  @IntegerProperty({ minimum: 1 })
  quantity: number;
}

export class ReceiptDto {
  @UuidProperty()
  id: string;

  /** The delivery's reference, if the receipt gave one. */
  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;

  receivedAt: Date;

  /** The API key that recorded the receipt. */
  actor: string;

  items: ReceiptLineDto[];
}

export class PurchaseOrderSummaryDto {
  @UuidProperty()
  id: string;

  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;

  @UuidProperty()
  facilityId: string;

  @ApiProperty({ type: String, format: 'date', example: '2027-02-01' })
  expectedDate: string;

  /** OPEN takes receipts; RECEIVED (every line in full) and CLOSED (by hand) take none. */
  @ApiProperty({ enum: PURCHASE_ORDER_STATUSES })
  status: PurchaseOrderStatus;

  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: Date | null;

  items: PurchaseOrderLineDto[];
}

export class PurchaseOrderDto extends PurchaseOrderSummaryDto {
  /** Oldest first. */
  receipts: ReceiptDto[];
}

export class PurchaseOrderPageDto extends PageDto(PurchaseOrderSummaryDto) {}
