import { ROUTED_QUEUES } from '../brokering/brokering.repository';
import { isUnallocated } from '../brokering/brokering-changes';
import type { LockedItem } from '../brokering/brokering.repository';
import { BROKERING_QUEUE, RoutingGroup } from './routing-config';

/** Null: every queue but BROKERING (a routing without a queue filter takes whatever waits). */
export type RoutedQueues = readonly string[] | null;

/**
 * The queues a group's run routes: an ORDER_APPROVED group those brokering routes on events (new,
 * backordered and rejected items); a SCHEDULE group those its active routings filter on with
 * `queue` equals or in.
 */
export function queuesRoutedBy(group: RoutingGroup): RoutedQueues {
  if (group.trigger === 'ORDER_APPROVED') return ROUTED_QUEUES;
  const perRouting = group.routings
    .filter((routing) => routing.status === 'ACTIVE')
    .map((routing) =>
      routing.orderFilters
        .filter((filter) => filter.field === 'queue' && (filter.operator === 'equals' || filter.operator === 'in'))
        .flatMap((filter) => (Array.isArray(filter.value) ? filter.value : [filter.value]).map(String)),
    );
  return perRouting.some((queues) => queues.length === 0) ? null : [...new Set(perRouting.flat())];
}

/** Whether a run of the group routes the item: unallocated, and waiting in one of its queues. */
export function routedByRunOf(group: RoutingGroup): (item: Pick<LockedItem, 'status' | 'queue'>) => boolean {
  const queues = queuesRoutedBy(group);
  return (item) => isUnallocated(item) && item.queue !== null && (queues === null ? item.queue !== BROKERING_QUEUE : queues.includes(item.queue));
}
