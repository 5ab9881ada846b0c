import { Injectable } from '@nestjs/common';
import { QueueOverview } from '@app/jobs';
import { MetricsRegistry, scrapedGauge } from '@app/platform';

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** `queue_jobs{queue,state}`: the job counts of every queue, read from Redis when scraped. */
@Injectable()
export class QueueDepthMetrics {
  constructor(registry: MetricsRegistry, overview: QueueOverview) {
    scrapedGauge({
      registry,
      name: 'queue_jobs',
      help: 'Jobs per queue and state: waiting, active, delayed (waiting for a retry) and failed (kept a week)',
      labelNames: ['queue', 'state'],
      read: async (gauge) => {
        for (const { name, counts } of await overview.jobCounts()) {
          for (const state of DEPTH_STATES) gauge.set({ queue: name, state }, counts[state]);
        }
      },
    });
  }
}
