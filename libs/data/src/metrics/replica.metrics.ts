import { Injectable } from '@nestjs/common';
import { SingleFlight } from '@app/cache';
import { MetricsRegistry, scrapedGauge } from '@app/platform';
import { ReplicaClient, ReplicaStatus } from '../replica/replica.client';

/** Each configured replica's state and replay lag, from the query readiness uses, once per scrape for both gauges. */
@Injectable()
export class ReplicaMetrics {
  constructor(registry: MetricsRegistry, replicas: ReplicaClient) {
    const reads = new SingleFlight<ReplicaStatus[]>();
    const statuses = () => reads.run('statuses', () => replicas.statuses());
    scrapedGauge({
      registry,
      name: 'replica_up',
      help: '1 when the replica answers and is still a replica (in recovery), 0 otherwise',
      labelNames: ['replica'],
      read: async (gauge) => {
        for (const status of await statuses()) gauge.set({ replica: status.url }, status.up ? 1 : 0);
      },
    });
    scrapedGauge({
      registry,
      name: 'replica_lag_seconds',
      help: 'How far the replica replays behind the primary, in seconds (0 when it has replayed all it received); absent while it is down',
      labelNames: ['replica'],
      read: async (gauge) => {
        for (const status of await statuses())
          if (status.up && status.lagSeconds !== undefined) gauge.set({ replica: status.url }, status.lagSeconds);
      },
    });
  }
}
