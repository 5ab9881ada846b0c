import {
  HOLD_REASONS,
  type HoldReason,
  ORDER_HISTORY_TYPES,
  ORDER_ITEM_STATUSES,
  ORDER_PRIORITY,
  ORDER_STATUSES,
  type OrderHistoryType,
  type OrderItemStatus,
  type OrderStatus,
  SHIPPING_METHODS,
  type ShippingMethod,
} from '@app/data';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
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

  /** Where the unallocated item waits: BROKERING (new), BACKORDER, UNFILLABLE, REJECTED or a queue of the merchant's; null once allocated. @example "BROKERING" */
  @ApiProperty({ type: String, nullable: true })
  queue: string | null;

  /** When the waiting item is cancelled unless allocated first; null: never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  autoCancelAt: Date | null;

  /** A pre-order's promise while it is BACKORDERED: the expected date (YYYY-MM-DD) of the purchase order it is promised against; null: none. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-02-01' })
  promiseDate: string | null;

  /** The purchase order whose open quantity the item is promised; null with no promise. */
  @UuidProperty({ nullable: true })
  promisedPurchaseOrderId: string | null;
}

export interface OrderHoldDto {
  reason: HoldReason;
  note: string | null;
  since: Date;
}

/** A nullable object, inline: OpenAPI 3.0 ignores `nullable` beside a $ref. */
const ORDER_HOLD_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  required: ['reason', 'note', 'since'],
  properties: {
    reason: { type: 'string', enum: [...HOLD_REASONS] },
    note: { type: 'string', nullable: true, description: 'As given with the hold; null when none was.' },
    since: { type: 'string', format: 'date-time', description: 'When the order was held.' },
  },
};

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

  @ApiProperty({ enum: SHIPPING_METHODS })
  shippingMethod: ShippingMethod;

  /** Where the customer collects a PICKUP order; null for every other shipping method. */
  @UuidProperty({ nullable: true })
  pickupFacilityId: string | null;

  /** 0..9, higher is more urgent. */
  @IntegerProperty({ minimum: ORDER_PRIORITY.min, maximum: ORDER_PRIORITY.max })
  priority: number;

  /** The date promised to the customer (YYYY-MM-DD), if any. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-03-15' })
  promiseDate: string | null;

  /** Without duplicates, in the order first sent. @example ["gift"] */
  tags: string[];

  /** The hold the order is in (status HELD); null when it is not held. */
  @ApiProperty(ORDER_HOLD_SCHEMA)
  hold: OrderHoldDto | null;

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

export class HistoryRoutingDto {
  @UuidProperty()
  groupId: string;
  @UuidProperty()
  routingId: string;
  @UuidProperty()
  ruleId: string;
}

export class OrderHistoryEntryDto {
  at: Date;

  @ApiProperty({ enum: ORDER_HISTORY_TYPES })
  type: OrderHistoryType;

  /** The item the entry is about; absent for the whole order. */
  @UuidProperty({ required: false })
  itemId?: string;

  /** Where the item was allocated, shipped from, rejected or received back at; on PROMISED entries where its purchase order is due. */
  @UuidProperty({ required: false })
  facilityId?: string;

  /** On QUEUED entries the queue; on REJECTED ones the rejection reason; on RETURN_RECEIVED ones the return reason; on PROMISED ones what recomputed the promise (e.g. "purchase order created"). */
  reason?: string;

  note?: string;

  /** On allocations: the routing group, routing and rule that made it. */
  routing?: HistoryRoutingDto;

  /** On RETURN_RECEIVED entries: the return received. */
  @UuidProperty({ required: false })
  returnId?: string;

  /** On PROMISED entries: the purchase order the item is now promised against; absent when the promise ended. */
  @UuidProperty({ required: false })
  purchaseOrderId?: string;
}

export class OrderHistoryDto {
  /** Oldest first. */
  items: OrderHistoryEntryDto[];
}
