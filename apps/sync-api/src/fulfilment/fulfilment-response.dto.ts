import { ORDER_ITEM_STATUSES, type OrderItemStatus, PICKLIST_STATUSES, type PicklistStatus, SHIPMENT_STATUSES, type ShipmentStatus } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class PicklistItemDto {
  @UuidProperty()
  orderId: string;

  @UuidProperty()
  itemId: string;

  @UuidProperty()
  productId: string;

  /** @example "TSHIRT-BLK-M" */
  sku: string;

  @IntegerProperty({ minimum: 1 })
  quantity: number;

  /** PICKING while it is picked; PACKED, SHIPPED once it moved on. */
  @ApiProperty({ enum: ORDER_ITEM_STATUSES })
  status: OrderItemStatus;
}

export class PicklistDto {
  @UuidProperty()
  id: string;

  @UuidProperty()
  facilityId: string;

  @ApiProperty({ enum: PICKLIST_STATUSES })
  status: PicklistStatus;

  createdAt: Date;

  completedAt: Date | null;

  /** The items to pick, in picking order (oldest order first); an item rejected or cancelled meanwhile is no longer listed. */
  items: PicklistItemDto[];
}

export class ShipmentItemDto {
  @UuidProperty()
  itemId: string;

  @UuidProperty()
  productId: string;

  /** @example "TSHIRT-BLK-M" */
  sku: string;

  @IntegerProperty({ minimum: 1 })
  quantity: number;
}

export class ShipmentPackageViewDto {
  @IntegerProperty({ minimum: 1, nullable: true })
  weightGrams: number | null;

  @IntegerProperty({ minimum: 1, nullable: true })
  lengthCm: number | null;

  @IntegerProperty({ minimum: 1, nullable: true })
  widthCm: number | null;

  @IntegerProperty({ minimum: 1, nullable: true })
  heightCm: number | null;
}

export class ShipmentDto {
  @UuidProperty()
  id: string;

  @UuidProperty()
  orderId: string;

  @UuidProperty()
  facilityId: string;

  @ApiProperty({ enum: SHIPMENT_STATUSES })
  status: ShipmentStatus;

  /** Null until shipped. @example "UPS" */
  @ApiProperty({ type: String, nullable: true })
  carrier: string | null;

  /** Null until shipped. @example "1Z999AA10123456784" */
  @ApiProperty({ type: String, nullable: true })
  trackingNumber: string | null;

  @ApiProperty({ type: String, nullable: true })
  service: string | null;

  createdAt: Date;

  shippedAt: Date | null;

  items: ShipmentItemDto[];

  packages: ShipmentPackageViewDto[];
}

export class ShipmentListDto {
  /** Oldest first. */
  items: ShipmentDto[];
}
