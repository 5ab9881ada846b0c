import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';

export type OutboxTopic = 'order.created' | 'order.cancelled' | 'order.fulfilled' | 'inventory.changed';

@Injectable()
export class OutboxRepository {
  /**
   * Writes the event in the caller's transaction: it exists exactly when the change it announces
   * was committed, whether or not Redis is up at that moment. A relay moves it into the queue.
   */
  async enqueue(tx: Queryable, topic: OutboxTopic, aggregateId: string, payload: Record<string, unknown>): Promise<void> {
    await tx.query('INSERT INTO outbox_event (topic, aggregate_id, payload) VALUES ($1, $2, $3)', [topic, aggregateId, JSON.stringify(payload)]);
  }
}
