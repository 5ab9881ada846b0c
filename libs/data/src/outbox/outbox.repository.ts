import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import { outboxInsert } from './outbox-insert';

export type OutboxTopic =
  | 'order.created'
  | 'order.cancelled'
  | 'order.brokered'
  | 'order.item_rejected'
  | 'order.item_cancelled'
  | 'order.item_edited'
  | 'order.held'
  | 'order.released'
  | 'order.edited'
  | 'order.packed'
  | 'order.unpacked'
  | 'order.shipped'
  | 'picklist.created'
  | 'picklist.completed'
  | 'order.return_requested'
  | 'order.return_received'
  | 'order.ready_for_pickup'
  | 'order.handed_over'
  | 'order.promise_changed'
  | 'purchase_order.created'
  | 'purchase_order.changed'
  | 'purchase_order.received'
  | 'purchase_order.closed'
  | 'transfer_order.created'
  | 'transfer_order.shipped'
  | 'transfer_order.received'
  | 'transfer_order.cancelled'
  | 'inventory.changed'
  /** Written by the database (availability_publish) at the commit that changes a channel's availability. */
  | 'availability.changed'
  | 'product.changed'
  | 'facility.changed'
  | 'routing.changed'
  | 'approval_rules.changed'
  | 'routing.run_requested';

export interface OutboxEventDraft {
  topic: OutboxTopic;
  aggregateId: string;
  payload: Record<string, unknown>;
}

@Injectable()
export class OutboxRepository {
  /**
   * Writes the event in the caller's transaction: it exists exactly when the change it announces
   * was committed, whether or not Redis is up at that moment. A relay moves it into the queue. It
   * carries the id (and trace) of the request or job under way to the jobs it causes.
   */
  enqueue(tx: Queryable, topic: OutboxTopic, aggregateId: string, payload: Record<string, unknown>): Promise<void> {
    return this.enqueueMany(tx, [{ topic, aggregateId, payload }]);
  }

  /** Writes many events in the caller's transaction with one statement, in the order given. */
  async enqueueMany(tx: Queryable, events: OutboxEventDraft[]): Promise<void> {
    if (events.length === 0) return;
    const insert = outboxInsert(
      `SELECT topic, aggregate_id, payload FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) WITH ORDINALITY AS e(topic, aggregate_id, payload, n) ORDER BY n`,
      4,
    );
    await tx.query(insert.sql, [
      events.map((event) => event.topic),
      events.map((event) => event.aggregateId),
      events.map((event) => JSON.stringify(event.payload)),
      ...insert.params,
    ]);
  }
}
