import { Injectable } from '@nestjs/common';
import type { PublishableEvent } from '@app/jobs';
import { selectColumns } from '../database/select-columns';
import { OutboxEvent } from '../entities/outbox-event.entity';
import type { Queryable } from '../read-routing/queryable';

const EVENT_COLUMNS = selectColumns(OutboxEvent, ['id', 'topic', 'aggregateId', 'payload', 'requestId', 'traceparent']);

export interface OutboxBacklog {
  unpublished: number;
  oldestAgeSeconds: number;
}

/** The relay's side of the outbox: claim what is unpublished, mark it, prune what is old. */
@Injectable()
export class OutboxRelayRepository {
  /**
   * Marks the oldest unpublished events that no other relay holds (SKIP LOCKED) as published and
   * returns them in id order: one statement that claims and marks, each row written once. The marks
   * and the locks hold until the caller commits, which it does only once the events are published;
   * a rollback leaves them unpublished.
   */
  claimUnpublished(tx: Queryable, limit: number): Promise<PublishableEvent[]> {
    return tx.query<PublishableEvent>(
      `WITH claimed AS (
         UPDATE outbox_event SET published_at = clock_timestamp()
          WHERE id IN (SELECT id FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING ${EVENT_COLUMNS}
       )
       SELECT * FROM claimed ORDER BY id`,
      [limit],
    );
  }

  /** How many events wait for the relay and how old the oldest is; the partial index on unpublished events keeps it cheap. */
  async backlog(db: Queryable): Promise<OutboxBacklog> {
    const [row] = await db.query<OutboxBacklog>(
      `SELECT count(*)::int AS unpublished, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS "oldestAgeSeconds"
         FROM outbox_event WHERE published_at IS NULL`,
    );
    return row;
  }

  /** Deletes up to `limit` events published more than `retentionDays` ago; returns how many. */
  async prunePublished(db: Queryable, retentionDays: number, limit: number): Promise<number> {
    const deleted = await db.query<{ id: string }>(
      `DELETE FROM outbox_event WHERE id IN (
         SELECT id FROM outbox_event WHERE published_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)
       RETURNING id`,
      [retentionDays, limit],
    );
    return deleted.length;
  }
}
