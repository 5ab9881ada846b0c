import { Injectable } from '@nestjs/common';
import type { DeliveryOutcome } from '@app/data';
import { MetricsRegistry } from '@app/platform';
import { Counter, Histogram } from 'prom-client';

/** Outbound webhook attempts by result, and the lag from an event to its delivery. */
@Injectable()
export class WebhookMetrics {
  private readonly attempts: Counter<'result'>;
  private readonly lag: Histogram;

  constructor(registry: MetricsRegistry) {
    this.attempts = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Outbound webhook attempts by result: delivered (2xx), retry (to be sent again) or failed (given up after 24 h)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.lag = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'Time from an event to its successful delivery to an endpoint, retries included',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
      registers: [registry],
    });
  }

  record(outcome: DeliveryOutcome): void {
    this.attempts.inc({ result: outcome.result });
    if (outcome.result === 'delivered') this.lag.observe(outcome.lagSeconds);
  }
}
