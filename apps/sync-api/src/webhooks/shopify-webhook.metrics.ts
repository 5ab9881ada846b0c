import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@app/platform';
import type { ImportTopic, ShopifyWebhookOutcome } from '@app/data';

/** Names no channel in a label: the code of a request that named no Shopify channel could be anything. */
const UNKNOWN_CHANNEL = 'unknown';

/** Shopify webhooks received by channel, topic and result, and the signatures that did not verify. */
@Injectable()
export class ShopifyWebhookMetrics {
  private readonly received: Counter<'channel' | 'topic' | 'result'>;
  private readonly signatureFailures: Counter<'channel'>;

  constructor(registry: MetricsRegistry) {
    this.received = new Counter({
      name: 'shopify_webhooks_received_total',
      help: 'Shopify webhooks by channel (unknown: no Shopify channel of that code), topic and result (created, duplicate, cancelled, import_error, unauthorized)',
      labelNames: ['channel', 'topic', 'result'],
      registers: [registry],
    });
    this.signatureFailures = new Counter({
      name: 'shopify_webhook_signature_failures_total',
      help: 'Shopify webhooks refused with 401: a missing or wrong X-Shopify-Hmac-Sha256, or no Shopify channel of that code (unknown)',
      labelNames: ['channel'],
      registers: [registry],
    });
  }

  count(channelCode: string, topic: ImportTopic, outcome: ShopifyWebhookOutcome): void {
    const channel = outcome.result === 'unauthorized' && !outcome.knownChannel ? UNKNOWN_CHANNEL : channelCode;
    this.received.inc({ channel, topic, result: outcome.result });
    if (outcome.result === 'unauthorized') this.signatureFailures.inc({ channel });
  }
}
