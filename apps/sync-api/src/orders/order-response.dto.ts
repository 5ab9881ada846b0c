import { ORDER_HISTORY_TYPES, ORDER_ITEM_STATUSES, ORDER_STATUSES, type OrderHistoryType, type OrderItemStatus, type OrderStatus } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, MoneyProperty, UuidProperty } from '../api/schema-properties';
import { ShippingAddressDto } from './order.dto';

export class OrderCustomerDto {
  /** @example "ada@example.com" */
  email: string;

  /** @example "Ada Lovelace" */
  name: string | null;
}

export class OrderItemDto {
  @UuidProperty()
  id: string;

  @UuidProperty()
  productId: string;

  /** @example "TSHIRT-BLK-M" */
  sku: string;

  @IntegerProperty({ minimum: 1 })
  quantity: number;

  @MoneyProperty()
  unitPrice: string;

  @ApiProperty({ enum: ORDER_ITEM_STATUSES })
  status: OrderItemStatus;

  /** The facility the item is allocated to or shipped from; null until brokered. */
  @UuidProperty({ nullable: true })
  facilityId: string | null;
}

export class OrderDto {
  @UuidProperty()
  id: string;

  /** The order's id in the selling channel, if it gave one; unique within the channel. */
  externalId: string | null;

  /** The sales channel of the API key that created the order. @example "storefront" */
  salesChannel: string;

  @ApiProperty({ enum: ORDER_STATUSES })
  status: OrderStatus;

  customer: OrderCustomerDto;

  /** As sent when the order was created. */
  shippingAddress: ShippingAddressDto;

  items: OrderItemDto[];

  /** Sum of quantity × unit price. */
  @MoneyProperty()
  total: string;

  /** ISO 4217 code. @example "USD" */
  currency: string;

  createdAt: Date;

  updatedAt: Date;
}

export class OrderPageDto extends PageDto(OrderDto) {}

export class FulfillmentResultDto {
  @UuidProperty()
  orderId: string;

  @UuidProperty()
  facilityId: string;

  /** The items shipped by this fulfillment. */
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' } })
  shippedItemIds: string[];

  /** The order after the shipment. */
  order: OrderDto;
}

export class OrderHistoryEntryDto {
  at: Date;

  @ApiProperty({ enum: ORDER_HISTORY_TYPES })
  type: OrderHistoryType;

  /** The item the entry is about; absent for the whole order. */
  @UuidProperty({ required: false })
  itemId?: string;

  /** Where the item was allocated, shipped from or rejected at. */
  @UuidProperty({ required: false })
  facilityId?: string;

  reason?: string;

  note?: string;
}

export class OrderHistoryDto {
  /** Oldest first. */
  items: OrderHistoryEntryDto[];
}
