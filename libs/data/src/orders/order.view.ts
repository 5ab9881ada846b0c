import type { OrderItemStatus } from '../entities/order-item.entity';
import type { OrderStatus, ShippingAddress } from '../entities/sales-order.entity';

export interface OrderItemView {
  id: string;
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  status: OrderItemStatus;
  facilityId: string | null;
}

export interface OrderView {
  id: string;
  externalId: string | null;
  status: OrderStatus;
  customer: { email: string; name: string | null };
  shippingAddress: ShippingAddress;
  items: OrderItemView[];
  total: string;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderRow {
  id: string;
  externalId: string | null;
  status: OrderStatus;
  customerEmail: string;
  customerName: string | null;
  shippingAddress: ShippingAddress;
  total: string;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export const ORDER_COLUMNS = `id, external_id AS "externalId", status, customer_email AS "customerEmail",
  customer_name AS "customerName", shipping_address AS "shippingAddress", total, currency,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const ORDER_ITEM_COLUMNS = `id, order_id AS "orderId", product_id AS "productId", sku, quantity,
  unit_price AS "unitPrice", status, facility_id AS "facilityId"`;

export function toOrderView(order: OrderRow, items: (OrderItemView & { orderId: string })[]): OrderView {
  return {
    id: order.id,
    externalId: order.externalId,
    status: order.status,
    customer: { email: order.customerEmail, name: order.customerName },
    shippingAddress: order.shippingAddress,
    items: items.filter((item) => item.orderId === order.id).map(({ orderId: _orderId, ...item }) => item),
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
