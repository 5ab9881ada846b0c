/**
 * The typed contract between producers (the outbox relay, schedules) and the worker's processors:
 * one queue per workload, so a long ETL never starves brokering, and one payload type per job.
 */
export enum QueueName {
  Brokering = 'brokering',
  Warehouse = 'warehouse',
  Maintenance = 'maintenance',
}

export enum JobName {
  BrokerOrders = 'broker-orders',
  RebrokerProducts = 'rebroker-products',
  BrokeringSweep = 'brokering-sweep',
  RunRoutingGroup = 'run-routing-group',
  SyncRoutingSchedules = 'sync-routing-schedules',
  PruneOutbox = 'prune-outbox',
  AutoCancelItems = 'auto-cancel-items',
  WarehouseEtl = 'warehouse-etl',
  SnapshotAvailability = 'snapshot-availability',
  RecomputePromises = 'recompute-promises',
}

export interface JobPayloads {
  [JobName.BrokerOrders]: { orderIds: string[] };
  [JobName.RebrokerProducts]: { productIds: string[] };
  [JobName.BrokeringSweep]: Record<string, never>;
  /** A group's schedule (which creates its run) or an operator's run (created when asked for). */
  [JobName.RunRoutingGroup]: { groupId: string; runId?: string };
  /** The routing configuration changed: the job schedulers of SCHEDULE groups follow it. */
  [JobName.SyncRoutingSchedules]: Record<string, never>;
  [JobName.PruneOutbox]: Record<string, never>;
  /** The AUTO_CANCEL_CRON schedule: waiting items whose auto-cancel time has passed, and pickups not collected within PICKUP_EXPIRY_DAYS, are cancelled. */
  [JobName.AutoCancelItems]: Record<string, never>;
  /** A queued run of the internal API; none from the end-of-day schedule, whose job creates its run. */
  [JobName.WarehouseEtl]: { runId?: string };
  /** The AVAILABILITY_SNAPSHOT_CRON schedule: every channel's availability of every product, for reconciliation. */
  [JobName.SnapshotAvailability]: Record<string, never>;
  /** Orders cancelled or edited: the pre-order promises of their products are recomputed (a cancelled promise frees units for the lines behind it). */
  [JobName.RecomputePromises]: { orderIds: string[] };
}

/**
 * The requests that caused a job (through the outbox, or an API call that enqueued it), for its log
 * lines and its span; a scheduled job has none. Several for a batch job, e.g. orders of several requests.
 */
export interface JobOrigin {
  requestIds: string[];
  /** W3C traceparents of the spans that caused the job, while tracing was on. */
  traceparents: string[];
}

/** What a queued job holds: its payload, and where it comes from. */
export type JobData<Name extends JobName = JobName> = JobPayloads[Name] & { origin?: JobOrigin };

/** The queue each job runs on. */
export const JOB_QUEUE: { [Name in JobName]: QueueName } = {
  [JobName.BrokerOrders]: QueueName.Brokering,
  [JobName.RebrokerProducts]: QueueName.Brokering,
  [JobName.BrokeringSweep]: QueueName.Brokering,
  [JobName.RunRoutingGroup]: QueueName.Brokering,
  [JobName.SyncRoutingSchedules]: QueueName.Maintenance,
  [JobName.PruneOutbox]: QueueName.Maintenance,
  [JobName.AutoCancelItems]: QueueName.Maintenance,
  [JobName.WarehouseEtl]: QueueName.Warehouse,
  [JobName.SnapshotAvailability]: QueueName.Maintenance,
  [JobName.RecomputePromises]: QueueName.Brokering,
};

/** A job to enqueue; `jobId` is deterministic, so a job published twice runs once. */
export interface JobRequest<Name extends JobName = JobName> {
  name: Name;
  data: JobPayloads[Name];
  jobId: string;
  origin?: JobOrigin;
}

/** The data to queue for a job request: its payload, with its origin when it has one. */
export function jobDataOf<Name extends JobName>(job: JobRequest<Name>): JobData<Name> {
  return job.origin === undefined ? job.data : { ...job.data, origin: job.origin };
}

/** Moves jobs into the queues; the worker implements it with BullMQ. Fails (throws) when the queues cannot be reached. */
export interface JobPublisher {
  publish(jobs: JobRequest[]): Promise<void>;
}
