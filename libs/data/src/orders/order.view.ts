import { selectColumns } from '../database/select-columns';
import { OrderItem } from '../entities/order-item.entity';
import { SalesOrder, ShippingAddress } from '../entities/sales-order.entity';
import type { HoldReason } from '../approval/hold-reasons';
import type { OrderStatus } from '../lifecycle/statuses';
import { BROKERING_QUEUE } from '../routing/routing-config';
import type { ShippingMethod } from './order-fields';

const ORDER_PROPERTIES = [
  'id',
  'externalId',
  'salesChannel',
  'status',
  'customerEmail',
  'customerName',
  'shippingAddress',
  'shippingMethod',
  'pickupFacilityId',
  'priority',
  'promiseDate',
  'tags',
  'holdReason',
  'holdNote',
  'heldSince',
  'total',
  'currency',
  'createdAt',
  'updatedAt',
] as const;
const ORDER_ITEM_PROPERTIES = [
  'id',
  'orderId',
  'productId',
  'sku',
  'quantity',
  'unitPrice',
  'status',
  'facilityId',
  'queue',
  'autoCancelAt',
  'promiseDate',
  'promisedPurchaseOrderId',
] as const;

export const ORDER_COLUMNS = selectColumns(SalesOrder, ORDER_PROPERTIES);
export const ORDER_ITEM_COLUMNS = selectColumns(OrderItem, ORDER_ITEM_PROPERTIES);

export type OrderRow = Pick<SalesOrder, (typeof ORDER_PROPERTIES)[number]>;
export type OrderItemRow = Pick<OrderItem, (typeof ORDER_ITEM_PROPERTIES)[number]>;
export type OrderItemView = Omit<OrderItemRow, 'orderId'>;

/** The hold an order is in. */
export interface OrderHold {
  reason: HoldReason;
  note: string | null;
  since: Date;
}

export interface OrderView {
  id: string;
  externalId: string | null;
  salesChannel: string;
  status: OrderStatus;
  customer: { email: string; name: string | null };
  shippingAddress: ShippingAddress;
  shippingMethod: ShippingMethod;
  pickupFacilityId: string | null;
  priority: number;
  promiseDate: string | null;
  tags: string[];
  /** The hold the order is in; null when it is not held. */
  hold: OrderHold | null;
  items: OrderItemView[];
  total: string;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toOrderView(order: OrderRow, items: OrderItemRow[]): OrderView {
  return {
    id: order.id,
    externalId: order.externalId,
    salesChannel: order.salesChannel,
    status: order.status,
    customer: { email: order.customerEmail, name: order.customerName },
    shippingAddress: order.shippingAddress,
    shippingMethod: order.shippingMethod,
    pickupFacilityId: order.pickupFacilityId,
    priority: order.priority,
    promiseDate: order.promiseDate,
    tags: order.tags,
    // A held order cancelled keeps its hold columns (when and why it was held), but is no longer held.
    hold:
      order.status !== 'HELD' || order.holdReason === null || order.heldSince === null
        ? null
        : { reason: order.holdReason, note: order.holdNote, since: order.heldSince },
    items: items
      .filter((item) => item.orderId === order.id)
      .map(({ id, productId, sku, quantity, unitPrice, status, facilityId, queue, autoCancelAt, promiseDate, promisedPurchaseOrderId }) => ({
        id,
        productId,
        sku,
        quantity,
        unitPrice,
        status,
        facilityId,
        queue,
        autoCancelAt,
        promiseDate,
        promisedPurchaseOrderId,
      })),
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** An item as the statement that inserts it returns it. */
export type NewItemRow = Pick<OrderItemRow, 'id' | 'productId' | 'sku' | 'quantity' | 'unitPrice'>;

/** The view of an order just inserted, from the stored row and its new items (every item CREATED, waiting to be brokered). */
export function newOrderView(order: OrderRow, items: NewItemRow[]): OrderView {
  return toOrderView(
    order,
    items.map((item) => ({
      ...item,
      orderId: order.id,
      status: 'CREATED' as const,
      facilityId: null,
      queue: BROKERING_QUEUE,
      autoCancelAt: null,
      promiseDate: null,
      promisedPurchaseOrderId: null,
    })),
  );
}
