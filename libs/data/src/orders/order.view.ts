import { selectColumns } from '../database/select-columns';
import { OrderItem } from '../entities/order-item.entity';
import { OrderStatus, SalesOrder, ShippingAddress } from '../entities/sales-order.entity';
import type { PricedLine } from './order-lines';

const ORDER_PROPERTIES = [
  'id',
  'externalId',
  'salesChannel',
  'status',
  'customerEmail',
  'customerName',
  'shippingAddress',
  'total',
  'currency',
  'createdAt',
  'updatedAt',
] as const;
const ORDER_ITEM_PROPERTIES = ['id', 'orderId', 'productId', 'sku', 'quantity', 'unitPrice', 'status', 'facilityId'] as const;

export const ORDER_COLUMNS = selectColumns(SalesOrder, ORDER_PROPERTIES);
export const ORDER_ITEM_COLUMNS = selectColumns(OrderItem, ORDER_ITEM_PROPERTIES);

export type OrderRow = Pick<SalesOrder, (typeof ORDER_PROPERTIES)[number]>;
export type OrderItemRow = Pick<OrderItem, (typeof ORDER_ITEM_PROPERTIES)[number]>;
export type OrderItemView = Omit<OrderItemRow, 'orderId'>;

export interface OrderView {
  id: string;
  externalId: string | null;
  salesChannel: string;
  status: OrderStatus;
  customer: { email: string; name: string | null };
  shippingAddress: ShippingAddress;
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
    items: items
      .filter((item) => item.orderId === order.id)
      .map(({ id, productId, sku, quantity, unitPrice, status, facilityId }) => ({ id, productId, sku, quantity, unitPrice, status, facilityId })),
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** The view of an order just inserted, from the stored row and the priced lines (every item CREATED, nothing allocated). */
export function newOrderView(order: OrderRow, lines: PricedLine[], itemIds: string[]): OrderView {
  const items = lines.map((line, index) => ({
    id: itemIds[index],
    orderId: order.id,
    productId: line.productId,
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    status: 'CREATED' as const,
    facilityId: null,
  }));
  return toOrderView(order, items);
}
