import { CacheInvalidator } from '@app/cache';
import { invalidatedTags, writesOfEvents } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { JobPublisher, jobsForEvents, originOfEvents } from '@app/jobs';
import { inConsumerSpan } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { OutboxBacklog, OutboxRelayRepository } from './outbox-relay.repository';

const BATCH_SIZE = 500;
const RETENTION_DAYS = 7;

/**
 * Moves committed outbox events into the queues, and invalidates the cache tags they touched (the
 * changes made by workers, and again those of sync-api writes, in case Redis missed them then). An
 * event is claimed by marking it published, in a transaction that commits only after its jobs were
 * accepted: if the queues are down the transaction rolls back and the events wait for the next
 * run; nothing is lost. A crash between publishing and committing publishes again, which the
 * deterministic job ids make harmless. The outbound webhooks' deliveries of the events are written
 * in the same transaction, so they exist exactly when the events count as relayed.
 */
@Injectable()
export class OutboxRelayService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly outbox: OutboxRelayRepository,
    private readonly cache: CacheInvalidator,
    private readonly webhooks: WebhooksRepository,
  ) {}

  /** Relays one batch; returns how many events it published. */
  relayBatch(publisher: JobPublisher, limit = BATCH_SIZE): Promise<number> {
    return this.db.transaction(async (tx) => {
      const events = await this.outbox.claimUnpublished(tx, limit);
      if (events.length === 0) return 0;
      await this.webhooks.fanOut(
        tx,
        events.map((event) => event.id),
      );
      const publish = async () => {
        await this.cache.invalidate(invalidatedTags(writesOfEvents(events)), { waitForInstances: false });
        const jobs = jobsForEvents(events);
        if (jobs.length > 0) await publisher.publish(jobs);
      };
      // While tracing is on, the relay of events that requests wrote is a span of those requests' traces.
      const causes = originOfEvents(events)?.traceparents ?? [];
      if (causes.length === 0) await publish();
      else await inConsumerSpan('outbox relay', { attributes: { 'messaging.batch.message_count': events.length }, causes }, publish);
      return events.length;
    });
  }

  /** Relays until nothing is left; returns how many events it published. */
  async relayAll(publisher: JobPublisher): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch(publisher);
      total += relayed;
      if (relayed < BATCH_SIZE) return total;
    }
  }

  /** What waits for the relay: the unpublished events and the age of the oldest. */
  backlog(): Promise<OutboxBacklog> {
    return this.outbox.backlog(this.db);
  }

  /** Deletes events published more than a week ago, in bounded batches. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.outbox.prunePublished(this.db, RETENTION_DAYS, BATCH_SIZE);
      total += deleted;
      if (deleted < BATCH_SIZE) return total;
    }
  }
}
