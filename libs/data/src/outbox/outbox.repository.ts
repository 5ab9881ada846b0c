import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';

export type OutboxTopic =
  'order.created' | 'order.cancelled' | 'order.fulfilled' | 'order.brokered' | 'inventory.changed' | 'product.changed' | 'facility.changed';

export interface OutboxEventDraft {
  topic: OutboxTopic;
  aggregateId: string;
  payload: Record<string, unknown>;
}

@Injectable()
export class OutboxRepository {
  /**
   * Writes the event in the caller's transaction: it exists exactly when the change it announces
   * was committed, whether or not Redis is up at that moment. A relay moves it into the queue.
   */
  async enqueue(tx: Queryable, topic: OutboxTopic, aggregateId: string, payload: Record<string, unknown>): Promise<void> {
    await tx.query('INSERT INTO outbox_event (topic, aggregate_id, payload) VALUES ($1, $2, $3)', [topic, aggregateId, JSON.stringify(payload)]);
  }

  /** Writes many events in the caller's transaction with one statement, in the order given. */
  async enqueueMany(tx: Queryable, events: OutboxEventDraft[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `INSERT INTO outbox_event (topic, aggregate_id, payload)
       SELECT topic, aggregate_id, payload FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) WITH ORDINALITY AS e(topic, aggregate_id, payload, n)
        ORDER BY n`,
      [events.map((event) => event.topic), events.map((event) => event.aggregateId), events.map((event) => JSON.stringify(event.payload))],
    );
  }
}
