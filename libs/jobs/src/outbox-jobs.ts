import { hash } from 'node:crypto';
import { JobName, JobOrigin, JobRequest } from './job-contracts';
import type { OutboxOrigin } from './outbox-origin';

export interface PublishableEvent extends OutboxOrigin {
  id: string;
  /** The outbox topic (libs/data names them); only the topics that cause jobs matter here. */
  topic: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** Traces a job's span continues or links at most: enough to follow a batch, and the job stays small in Redis. */
export const MAX_JOB_TRACES = 32;

/** Orders per brokering job and per claim of the sweep: one set-based transaction of the brokering service. */
export const BROKERING_BATCH_SIZE = 200;

/** Available to promise went up (units received, a reservation released); a shipment leaves it as it was. */
function freesStock(payload: Record<string, unknown>): boolean {
  return Number(payload.onHandDelta ?? 0) - Number(payload.reservedDelta ?? 0) > 0;
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

/** The requests (and traces) whose events a job handles; undefined when none is known (events written outside a request). */
export function originOfEvents(events: OutboxOrigin[]): JobOrigin | undefined {
  const requestIds = distinct(events.map((event) => event.requestId));
  const traceparents = distinct(events.map((event) => event.traceparent)).slice(0, MAX_JOB_TRACES);
  return requestIds.length === 0 && traceparents.length === 0 ? undefined : { requestIds, traceparents };
}

/**
 * A job id for a batch of events: its first and last event ids (readable, and the same when the
 * batch is published again, so it runs once) and a digest of what the events say. Event ids alone
 * are not enough: after a failover to a replica that had not received the last commits, the new
 * primary issues those ids again, for other events, and BullMQ would take their job for one it
 * has already run.
 */
export function batchJobId(prefix: string, events: PublishableEvent[]): string {
  const digest = hash('sha256', events.map((event) => `${event.aggregateId}:${JSON.stringify(event.payload)}`).join('|'), 'base64url');
  return `${prefix}-${events[0].id}-${events[events.length - 1].id}-${digest.slice(0, 16)}`;
}

function chunks<T>(values: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, index) => values.slice(index * size, (index + 1) * size));
}

/**
 * The jobs a batch of outbox events asks for: new orders (and orders with a rejected item, or edited where they go) are brokered together, in jobs of up to
 * BROKERING_BATCH_SIZE orders (one set-based transaction each, not one per order); stock
 * that became available re-brokers the backordered items of its products. Other events are for
 * the cache and the warehouse, which follow the outbox themselves. Routing runs asked for on the
 * internal API, and changes of the routing configuration, become routing jobs. Job ids derive from the events
 * (batchJobId), so a batch published twice runs once. Orders cancelled or edited recompute the
 * pre-order promises of their products. Each job carries the requests its events come from.
 */
export function jobsForEvents(events: PublishableEvent[]): JobRequest[] {
  // A rejected item, or an order edited where it goes, is routed again in the request that changes it; the job is for when another worker held the order then.
  const created = events.filter(
    (event) =>
      event.topic === 'order.created' || event.topic === 'order.item_rejected' || (event.topic === 'order.edited' && event.payload.rerouted === true),
  );
  const restocked = events.filter((event) => event.topic === 'inventory.changed' && freesStock(event.payload));
  const brokerJobs = chunks(created, BROKERING_BATCH_SIZE).map((batch): JobRequest<JobName.BrokerOrders> => ({
    name: JobName.BrokerOrders,
    data: { orderIds: batch.map((event) => event.aggregateId) },
    jobId: batchJobId('broker', batch),
    origin: originOfEvents(batch),
  }));
  const rebrokerJobs: JobRequest<JobName.RebrokerProducts>[] =
    restocked.length === 0
      ? []
      : [
          {
            name: JobName.RebrokerProducts,
            data: { productIds: [...new Set(restocked.map((event) => event.aggregateId))] },
            jobId: batchJobId('rebroker', restocked),
            origin: originOfEvents(restocked),
          },
        ];
  return [...brokerJobs, ...rebrokerJobs, ...promiseJobs(events), ...routingJobs(events)];
}

/** Orders cancelled (whole or an item) or edited may free units promised to pre-orders: one job per batch recomputes their products' promises. */
function promiseJobs(events: PublishableEvent[]): JobRequest<JobName.RecomputePromises>[] {
  const changed = events.filter(
    (event) => event.topic === 'order.cancelled' || event.topic === 'order.item_cancelled' || event.topic === 'order.edited',
  );
  if (changed.length === 0) return [];
  return [
    {
      name: JobName.RecomputePromises,
      data: { orderIds: [...new Set(changed.map((event) => event.aggregateId))] },
      jobId: batchJobId('promises', changed),
      origin: originOfEvents(changed),
    },
  ];
}

/** An operator's run of a routing group is one job per run; configuration changes resync the group schedules once per batch. */
function routingJobs(events: PublishableEvent[]): JobRequest[] {
  const runs = events
    .filter((event) => event.topic === 'routing.run_requested')
    .map((event): JobRequest<JobName.RunRoutingGroup> => {
      const runId = String(event.payload.runId);
      return {
        name: JobName.RunRoutingGroup,
        data: { groupId: String(event.payload.groupId), runId },
        jobId: `routing-run-${runId}`,
        origin: originOfEvents([event]),
      };
    });
  const changes = events.filter((event) => event.topic === 'routing.changed');
  const sync: JobRequest<JobName.SyncRoutingSchedules>[] =
    changes.length === 0
      ? []
      : [{ name: JobName.SyncRoutingSchedules, data: {}, jobId: batchJobId('routing-schedules', changes), origin: originOfEvents(changes) }];
  return [...runs, ...sync];
}
