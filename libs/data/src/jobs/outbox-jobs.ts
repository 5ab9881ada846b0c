import type { OutboxTopic } from '../outbox/outbox.repository';
import { JobName, JobRequest } from './job-contracts';

export interface PublishableEvent {
  id: string;
  topic: OutboxTopic | string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** Available to promise went up (units received, a reservation released); a shipment leaves it as it was. */
function freesStock(payload: Record<string, unknown>): boolean {
  return Number(payload.onHandDelta ?? 0) - Number(payload.reservedDelta ?? 0) > 0;
}

/**
 * The jobs an outbox event asks for: a new order is brokered; stock that became available
 * re-brokers the backordered items of its product. Other events are for the cache and the
 * warehouse, which follow the outbox themselves.
 */
export function jobsForEvent(event: PublishableEvent): JobRequest[] {
  switch (event.topic) {
    case 'order.created':
      return [{ name: JobName.BrokerOrders, data: { orderIds: [event.aggregateId] }, jobId: `broker-${event.aggregateId}` }];
    case 'inventory.changed':
      return freesStock(event.payload)
        ? [{ name: JobName.RebrokerProducts, data: { productIds: [event.aggregateId] }, jobId: `rebroker-${event.id}` }]
        : [];
    default:
      return [];
  }
}
