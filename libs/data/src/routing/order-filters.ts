import { compareCondition } from './condition-compare';
import type { OrderFilter, OrderSort } from './routing-config';

/** What order filters and sorts read of an order. */
export interface OrderFacts {
  orderId: string | null;
  /** The order's creation time, as text that sorts in time order (ISO 8601 or PostgreSQL's). */
  orderDate: string;
  salesChannel: string;
  shippingMethod: string;
  priority: number;
  /** YYYY-MM-DD or null. */
  promiseDate: string | null;
  country: string | null;
  tags: string[];
  orderTotal: number;
  /** The queues the order's items to route wait in. */
  queues: string[];
}

const DAY_MS = 86_400_000;

/** Whether the order passes every filter; `today` (YYYY-MM-DD) anchors promiseDaysCutoff. */
export function matchesOrderFilters(order: OrderFacts, filters: OrderFilter[], today: string): boolean {
  return filters.every((filter) => matchesOrderFilter(order, filter, today));
}

function matchesOrderFilter(order: OrderFacts, filter: OrderFilter, today: string): boolean {
  switch (filter.field) {
    case 'salesChannel':
      return compareCondition(order.salesChannel, filter);
    case 'shippingMethod':
      return compareCondition(order.shippingMethod, filter);
    case 'priority':
      return compareCondition(order.priority, filter);
    case 'promiseDaysCutoff':
      return order.promiseDate !== null && compareCondition(daysBetween(today, order.promiseDate), filter);
    case 'queue':
      return anyOrNone(order.queues, filter);
    case 'country':
      return order.country !== null && compareCondition(order.country, filter);
    case 'tag':
      return anyOrNone(order.tags, filter);
    case 'orderTotal':
      return compareCondition(order.orderTotal, filter);
  }
}

/** For a set of values: equals/in hold when one of them matches; not-equals/not-in when none does. */
function anyOrNone(values: string[], filter: OrderFilter): boolean {
  if (filter.operator === 'not-equals' || filter.operator === 'not-in') {
    const positive = { ...filter, operator: filter.operator === 'not-equals' ? 'equals' : 'in' } as const;
    return !values.some((value) => compareCondition(value, positive));
  }
  return values.some((value) => compareCondition(value, filter));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Orders in the routing's sorts, then oldest first, then by id: the order in which they get stock. */
export function compareOrders(sorts: OrderSort[]): (a: OrderFacts, b: OrderFacts) => number {
  return (a, b) => {
    for (const sort of sorts) {
      if (sort.field === 'promiseDate' && (a.promiseDate === null || b.promiseDate === null)) {
        // Orders without a promise date come after those with one, whichever the direction.
        const missing = (a.promiseDate === null ? 1 : 0) - (b.promiseDate === null ? 1 : 0);
        if (missing !== 0) return missing;
        continue;
      }
      const difference = compareOrderField(a, b, sort);
      if (difference !== 0) return sort.direction === 'asc' ? difference : -difference;
    }
    return compareText(a.orderDate, b.orderDate) || compareText(a.orderId ?? '', b.orderId ?? '');
  };
}

function compareOrderField(a: OrderFacts, b: OrderFacts, sort: OrderSort): number {
  switch (sort.field) {
    case 'orderDate':
      return compareText(a.orderDate, b.orderDate);
    case 'priority':
      return a.priority - b.priority;
    case 'promiseDate':
      return compareText(a.promiseDate ?? '', b.promiseDate ?? '');
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
