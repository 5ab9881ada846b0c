import { Injectable } from '@nestjs/common';
import { SingleFlight } from '@app/cache';
import { MetricsRegistry, scrapedGauge } from '@app/platform';
import type { OutboxBacklog } from '../outbox/outbox-relay.repository';
import { OutboxRelayService } from '../outbox/outbox-relay.service';

/** The outbox backlog, read when scraped: both gauges of one scrape share one query. */
@Injectable()
export class OutboxMetrics {
  constructor(registry: MetricsRegistry, relay: OutboxRelayService) {
    const reads = new SingleFlight<OutboxBacklog>();
    const backlog = () => reads.run('backlog', () => relay.backlog());
    scrapedGauge({
      registry,
      name: 'outbox_unpublished_events',
      help: 'Outbox events committed but not yet relayed into the queues',
      read: async (gauge) => gauge.set((await backlog()).unpublished),
    });
    scrapedGauge({
      registry,
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest outbox event not yet relayed (0 when none waits): how far the jobs lag behind the changes',
      read: async (gauge) => gauge.set((await backlog()).oldestAgeSeconds),
    });
  }
}
