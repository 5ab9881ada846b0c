import type { LedgerEntry } from '../inventory/inventory.repository';
import { UNALLOCATED_ITEM_STATUSES } from '../lifecycle/order-transitions';
import type { OrderStatusChange } from '../lifecycle/status-changes.repository';
import type { OrderItemStatus, OrderStatus } from '../lifecycle/statuses';
import type { RoutingGroup } from '../routing/routing-config';
import type { RoutableOrder, RoutingFacility, RoutingInput, RoutingPlan } from '../routing/routing-engine';
import type { StockLevel } from './stock-reservations';
import { ItemUpdate, LockedItem, LockedOrder, ROUTED_QUEUES } from './brokering.repository';

/** The statuses brokering gives an order, from its items. */
export type BrokeringStatus = Extract<OrderStatus, 'BROKERED' | 'PARTIALLY_BROKERED' | 'BACKORDERED'>;

export const BROKERING_REASON = 'brokered';
export const BROKERING_ACTOR = 'system';

const DAY_MS = 86_400_000;

/** What a batch's plan changes: only rows whose state moves, so a retry that finds no stock writes nothing. */
export interface BrokeringChanges {
  items: ItemUpdate[];
  orders: OrderStatusChange[];
  ledger: LedgerEntry[];
}

export function isUnallocated(item: Pick<LockedItem, 'status'>): boolean {
  return UNALLOCATED_ITEM_STATUSES.includes(item.status);
}

/** Items that brokering routes when orders arrive and stock moves: unallocated, and waiting in one of the routed queues. */
export function isRoutedNow(item: Pick<LockedItem, 'status' | 'queue'>): boolean {
  return isUnallocated(item) && item.queue !== null && ROUTED_QUEUES.includes(item.queue);
}

export interface RoutingContext {
  group: RoutingGroup;
  facilities: RoutingFacility[];
  stock: StockLevel[];
  /** The facilities that rejected each item, by item id. */
  rejections: Map<string, string[]>;
  today: string;
}

/** The engine's input: each order with the items this run routes (`routes`). */
export function routingInput(
  orders: LockedOrder[],
  items: LockedItem[],
  routes: (item: LockedItem) => boolean,
  context: RoutingContext,
): RoutingInput {
  return {
    group: context.group,
    facilities: context.facilities,
    stock: context.stock,
    today: context.today,
    orders: routableOrders(orders, items, routes, context.rejections),
  };
}

/** Each order with the items this run routes (and the facilities that rejected them), and the facilities it already counts against. */
export function routableOrders(
  orders: LockedOrder[],
  items: LockedItem[],
  routes: (item: LockedItem) => boolean,
  rejections: Map<string, string[]>,
): RoutableOrder[] {
  return orders.map((order): RoutableOrder => {
    const own = items.filter((item) => item.orderId === order.id);
    const routed = own.filter(routes);
    return {
      orderId: order.id,
      orderDate: order.orderDate,
      salesChannel: order.salesChannel,
      shippingMethod: order.shippingMethod,
      priority: order.priority,
      promiseDate: order.promiseDate,
      country: order.country,
      tags: order.tags,
      orderTotal: order.orderTotal,
      queues: [...new Set(routed.map((item) => item.queue!))],
      shipTo: order.shipTo,
      pickupFacilityId: order.pickupFacilityId,
      lines: routed.map((item) => ({
        itemId: item.id,
        productId: item.productId,
        quantity: item.quantity,
        unitPrice: Number(item.unitPrice),
        rejectedFacilityIds: rejections.get(item.id) ?? [],
        queue: item.queue!,
      })),
      countedFacilityIds: [...new Set(own.filter((item) => !isUnallocated(item) && item.facilityId !== null).map((item) => item.facilityId!))],
    };
  });
}

/**
 * An order's status from all its items (docs/architecture.md, The model): brokered when nothing is left to
 * allocate, partly brokered when some items are held by a facility (allocated, in picking, packed,
 * ready) or gone from one (shipped, handed over) and others wait, backordered when none is.
 */
export function orderStatusOf(itemStatuses: OrderItemStatus[]): BrokeringStatus {
  if (!itemStatuses.some((status) => UNALLOCATED_ITEM_STATUSES.includes(status))) return 'BROKERED';
  const atFacility = (status: OrderItemStatus) => !UNALLOCATED_ITEM_STATUSES.includes(status) && status !== 'CANCELLED';
  return itemStatuses.some(atFacility) ? 'PARTIALLY_BROKERED' : 'BACKORDERED';
}

export function brokeringChanges(orders: LockedOrder[], items: LockedItem[], plan: RoutingPlan, groupId: string, now: Date): BrokeringChanges {
  const current = new Map(items.map((item) => [item.id, item]));
  const itemUpdates = plan.orders.flatMap((routed) => [
    ...routed.allocations.map(({ line, facilityId, ruleId }): ItemUpdate => ({
      itemId: line.itemId!,
      status: 'ALLOCATED',
      facilityId,
      history: { routing: { groupId, routingId: routed.routingId!, ruleId } },
    })),
    ...routed.unfilled
      .filter(({ line, queue }) => {
        const item = current.get(line.itemId!)!;
        return item.status !== 'BACKORDERED' || item.queue !== queue;
      })
      .map(({ line, queue, autoCancelDays }): ItemUpdate => ({
        itemId: line.itemId!,
        status: 'BACKORDERED',
        facilityId: null,
        queue,
        autoCancelAt: autoCancelDays === null ? null : new Date(now.getTime() + autoCancelDays * DAY_MS),
      })),
  ]);
  const ledger = plan.orders.flatMap((routed) =>
    routed.allocations.map(({ facilityId, line }) => ({
      facilityId,
      productId: line.productId,
      onHandDelta: 0,
      reservedDelta: line.quantity,
      reason: BROKERING_REASON,
      actor: BROKERING_ACTOR,
      orderId: routed.order.orderId!,
    })),
  );
  return { items: itemUpdates, orders: orderUpdates(orders, items, itemUpdates), ledger };
}

function orderUpdates(orders: LockedOrder[], items: LockedItem[], itemUpdates: ItemUpdate[]): OrderStatusChange[] {
  const newStatus = new Map(itemUpdates.map((update) => [update.itemId, update.status]));
  return orders.flatMap((order) => {
    const own = items.filter((item) => item.orderId === order.id);
    const status = orderStatusOf(own.map((item) => newStatus.get(item.id) ?? item.status));
    const changed = status !== order.status || own.some((item) => newStatus.has(item.id));
    return changed ? [{ orderId: order.id, status }] : [];
  });
}
