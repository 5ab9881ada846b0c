import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import { nextAttemptAt } from './webhook-retry';
import { WEBHOOK_TIMEOUT_MS, WebhookSender } from './webhook-sender.client';
import { AttemptResult, ClaimedWebhookDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries in flight to one endpoint at a time, over all dispatchers. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 4;
/** How long a claimed delivery is a dispatcher's: longer than a POST may take, so that only a dead dispatcher's lease lapses. */
export const DELIVERY_LEASE_MS = 20_000;

export type DeliveryOutcome = { result: 'delivered'; lagSeconds: number } | { result: 'retry'; nextAttemptAt: Date } | { result: 'failed' };

/** The body of a delivery: the same bytes on every attempt. */
export function deliveryBody(delivery: Pick<ClaimedWebhookDelivery, 'eventId' | 'type' | 'eventAt' | 'data'>): string {
  return JSON.stringify({ id: delivery.eventId, type: delivery.type, at: delivery.eventAt, data: delivery.data });
}

/**
 * Sends outbound webhooks: claims due deliveries (a lease each), POSTs them signed, and logs each
 * attempt. A 2xx delivers; anything else (or no answer within 10 s) is retried after
 * WEBHOOK_RETRY_BASE_MS, doubling up to an hour with jitter, until 24 h after the first attempt.
 * At least once: a dispatcher that dies mid-send leaves a lease that lapses, and the delivery is sent again.
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly webhooks: WebhooksRepository,
    private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'webhooks'>,
  ) {}

  /**
   * Takes the lease of up to `limit` due deliveries. One dispatcher at a time claims for an endpoint
   * (its row locked; the others skip it), which keeps the bound per endpoint over all dispatchers.
   */
  claim(limit: number, leaseMs = DELIVERY_LEASE_MS): Promise<ClaimedWebhookDelivery[]> {
    return this.db.transaction(async (tx) => {
      const endpointIds = await this.webhooks.lockEndpointsWithDueDeliveries(tx);
      if (endpointIds.length === 0) return [];
      return this.webhooks.claimDue(tx, endpointIds, limit, MAX_IN_FLIGHT_PER_ENDPOINT, leaseMs);
    });
  }

  /** One attempt: POST, then log it and settle the delivery. */
  async send(delivery: ClaimedWebhookDelivery, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<DeliveryOutcome> {
    const answer = await this.sender.post({ url: delivery.url, secret: delivery.secret, body: deliveryBody(delivery) }, timeoutMs);
    const now = new Date();
    const delivered = answer.status !== null && answer.status >= 200 && answer.status < 300;
    const retryAt = delivered ? null : nextAttemptAt(delivery.attempt, new Date(delivery.firstAttemptAt), now, this.config.webhooks.retryBaseMs);
    const status: AttemptResult['status'] = delivered ? 'DELIVERED' : retryAt ? 'PENDING' : 'FAILED';
    await this.webhooks.recordAttempt(this.db, delivery, { responseStatus: answer.status, error: answer.error, status, nextAttemptAt: retryAt });
    if (delivered) return { result: 'delivered', lagSeconds: Math.max(0, (now.getTime() - new Date(delivery.eventAt).getTime()) / 1000) };
    return retryAt ? { result: 'retry', nextAttemptAt: retryAt } : { result: 'failed' };
  }

  /** Claims what is due and sends it all, waiting for every attempt: one round of a dispatcher. */
  async dispatchDue(limit: number, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<DeliveryOutcome[]> {
    const claimed = await this.claim(limit);
    return Promise.all(claimed.map((delivery) => this.send(delivery, timeoutMs)));
  }
}
