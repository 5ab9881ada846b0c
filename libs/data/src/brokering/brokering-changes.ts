import type { LedgerEntry } from '../inventory/inventory.repository';
import { UNALLOCATED_ITEM_STATUSES } from '../lifecycle/order-transitions';
import type { OrderStatusChange } from '../lifecycle/status-changes.repository';
import type { OrderItemStatus } from '../lifecycle/statuses';
import { AllocationFacility, AllocationInput, AllocationPlan, BrokeringStatus } from './allocation-plan';
import { ItemUpdate, LockedItem, LockedOrder, ShippableStock } from './brokering.repository';

export const BROKERING_REASON = 'brokered';
export const BROKERING_ACTOR = 'system';

/** What a batch's plan changes: only rows whose state moves, so a retry that finds no stock writes nothing. */
export interface BrokeringChanges {
  items: ItemUpdate[];
  orders: OrderStatusChange[];
  ledger: LedgerEntry[];
}

export function isUnallocated(item: Pick<LockedItem, 'status'>): boolean {
  return UNALLOCATED_ITEM_STATUSES.includes(item.status);
}

/** The planner's input: the orders' unallocated items, and the facilities that hold their stock. */
export function allocationInput(orders: LockedOrder[], items: LockedItem[], stock: ShippableStock[]): AllocationInput {
  return {
    orders: orders.map((order) => ({
      orderId: order.id,
      shipTo: order.shipTo,
      lines: items
        .filter((item) => item.orderId === order.id && isUnallocated(item))
        .map((item) => ({ itemId: item.id, productId: item.productId, quantity: item.quantity })),
    })),
    facilities: shippingFacilities(stock),
    stock: stock.map(({ facilityId, productId, availableToPromise }) => ({ facilityId, productId, availableToPromise })),
  };
}

function shippingFacilities(stock: ShippableStock[]): AllocationFacility[] {
  const facilities = new Map<string, AllocationFacility>();
  for (const level of stock) facilities.set(level.facilityId, { id: level.facilityId, ...level.facility, canShip: true });
  return [...facilities.values()];
}

/**
 * An order's status from all its items (docs/architecture.md, The model): brokered when nothing is left to
 * allocate, partly brokered when some items are allocated or shipped and others backordered,
 * backordered when none is.
 */
export function orderStatusOf(itemStatuses: OrderItemStatus[]): BrokeringStatus {
  if (!itemStatuses.some((status) => UNALLOCATED_ITEM_STATUSES.includes(status))) return 'BROKERED';
  return itemStatuses.some((status) => status === 'ALLOCATED' || status === 'SHIPPED') ? 'PARTIALLY_BROKERED' : 'BACKORDERED';
}

export function brokeringChanges(orders: LockedOrder[], items: LockedItem[], plan: AllocationPlan): BrokeringChanges {
  const currentStatus = new Map(items.map((item) => [item.id, item.status]));
  const itemUpdates = plan.orders.flatMap((planned) => [
    ...planned.allocations.map((a): ItemUpdate => ({ itemId: a.itemId, status: 'ALLOCATED', facilityId: a.facilityId })),
    ...planned.backorderedItemIds
      .filter((itemId) => currentStatus.get(itemId) !== 'BACKORDERED')
      .map((itemId): ItemUpdate => ({ itemId, status: 'BACKORDERED', facilityId: null })),
  ]);
  const ledger = plan.orders.flatMap((planned) =>
    planned.allocations.map(({ facilityId, productId, quantity }) => ({
      facilityId,
      productId,
      onHandDelta: 0,
      reservedDelta: quantity,
      reason: BROKERING_REASON,
      actor: BROKERING_ACTOR,
      orderId: planned.orderId,
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
