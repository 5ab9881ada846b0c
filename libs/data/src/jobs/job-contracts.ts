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
  PruneOutbox = 'prune-outbox',
  WarehouseEtl = 'warehouse-etl',
}

export interface JobPayloads {
  [JobName.BrokerOrders]: { orderIds: string[] };
  [JobName.RebrokerProducts]: { productIds: string[] };
  [JobName.BrokeringSweep]: Record<string, never>;
  [JobName.PruneOutbox]: Record<string, never>;
  /** A queued run of the internal API; none from the end-of-day schedule, whose job creates its run. */
  [JobName.WarehouseEtl]: { runId?: string };
}

/** The queue each job runs on. */
export const JOB_QUEUE: { [Name in JobName]: QueueName } = {
  [JobName.BrokerOrders]: QueueName.Brokering,
  [JobName.RebrokerProducts]: QueueName.Brokering,
  [JobName.BrokeringSweep]: QueueName.Brokering,
  [JobName.PruneOutbox]: QueueName.Maintenance,
  [JobName.WarehouseEtl]: QueueName.Warehouse,
};

/** A job to enqueue; `jobId` is deterministic, so a job published twice runs once. */
export interface JobRequest<Name extends JobName = JobName> {
  name: Name;
  data: JobPayloads[Name];
  jobId: string;
}

/** Moves jobs into the queues; the worker implements it with BullMQ. Fails (throws) when the queues cannot be reached. */
export interface JobPublisher {
  publish(jobs: JobRequest[]): Promise<void>;
}
