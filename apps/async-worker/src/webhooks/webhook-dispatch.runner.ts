import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClaimedWebhookDelivery, WebhookDeliveryListener, WebhookDispatcher } from '@app/data';
import { LifecycleState, throttledWarning } from '@app/platform';
import { WebhookMetrics } from './webhook-metrics';

/** The fallback when a notification is missed, and how soon retries that fell due are seen. */
const POLL_INTERVAL_MS = 500;
/** Deliveries this worker sends at once, over all endpoints (each endpoint has its own bound too). */
const MAX_IN_FLIGHT = 32;

/**
 * Keeps up to MAX_IN_FLIGHT webhook deliveries in flight: claims more when deliveries are created
 * (LISTEN/NOTIFY), when one finishes, when a retry falls due and on a short poll. Wake-ups while
 * a claim runs are folded into one more claim after it. On draining it claims nothing more and
 * lets the attempts under way finish.
 */
@Injectable()
export class WebhookDispatchRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatchRunner.name);
  private readonly warnThrottled = throttledWarning(this.logger);
  private readonly inFlight = new Set<Promise<void>>();
  private poll: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = false;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly listener: WebhookDeliveryListener,
    private readonly metrics: WebhookMetrics,
    private readonly lifecycle: LifecycleState,
  ) {}

  onApplicationBootstrap(): void {
    this.lifecycle.onDraining(() => this.stop());
    this.listener.start(() => this.wake());
    this.poll = setInterval(() => this.wake(), POLL_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.listener.stop();
    await this.claiming;
    await Promise.all(this.inFlight);
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.poll);
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    this.claiming = this.claimAndSend().finally(() => {
      this.claiming = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async claimAndSend(): Promise<void> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0) return;
    let claimed: ClaimedWebhookDelivery[];
    try {
      claimed = await this.dispatcher.claim(room);
    } catch (error) {
      this.warnThrottled(`webhook dispatch: ${(error as Error).message}; deliveries wait in the database and are retried`);
      return;
    }
    for (const delivery of claimed) this.track(this.sendOne(delivery));
    // A full claim may have left more due: claim again once this one is done.
    if (claimed.length === room) this.wakeAgain = true;
  }

  private async sendOne(delivery: ClaimedWebhookDelivery): Promise<void> {
    try {
      const outcome = await this.dispatcher.send(delivery);
      this.metrics.record(outcome);
      if (outcome.result === 'retry') setTimeout(() => this.wake(), outcome.nextAttemptAt.getTime() - Date.now()).unref();
    } catch (error) {
      this.warnThrottled(`webhook delivery ${delivery.id}: ${(error as Error).message}; it is sent again when its lease lapses`);
    }
  }

  private track(sending: Promise<void>): void {
    this.inFlight.add(sending);
    void sending.finally(() => {
      this.inFlight.delete(sending);
      this.wake();
    });
  }
}
