import { Injectable } from '@nestjs/common';
import { currentOutboxOrigin } from '@app/jobs';
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
   * was committed, whether or not Redis is up at that moment. A relay moves it into the queue. It
   * carries the id (and trace) of the request or job under way to the jobs it causes.
   */
  async enqueue(tx: Queryable, topic: OutboxTopic, aggregateId: string, payload: Record<string, unknown>): Promise<void> {
    const { requestId, traceparent } = currentOutboxOrigin();
    await tx.query('INSERT INTO outbox_event (topic, aggregate_id, payload, request_id, traceparent) VALUES ($1, $2, $3, $4, $5)', [
      topic,
      aggregateId,
      JSON.stringify(payload),
      requestId,
      traceparent,
    ]);
  }

  /** Writes many events in the caller's transaction with one statement, in the order given. */
  async enqueueMany(tx: Queryable, events: OutboxEventDraft[]): Promise<void> {
    if (events.length === 0) return;
    const { requestId, traceparent } = currentOutboxOrigin();
    await tx.query(
      `INSERT INTO outbox_event (topic, aggregate_id, payload, request_id, traceparent)
       SELECT topic, aggregate_id, payload, $4::text, $5::text
         FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) WITH ORDINALITY AS e(topic, aggregate_id, payload, n)
        ORDER BY n`,
      [
        events.map((event) => event.topic),
        events.map((event) => event.aggregateId),
        events.map((event) => JSON.stringify(event.payload)),
        requestId,
        traceparent,
      ],
    );
  }
}
