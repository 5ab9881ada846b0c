import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxListener, OutboxRelayService } from '@app/data';
import { throttledWarning } from '@app/platform';
import { BullMqJobPublisher } from '../queues/bullmq-job-publisher';

/** The fallback when a notification is missed (listener reconnecting, Redis was down). */
const POLL_INTERVAL_MS = 1000;

/**
 * Runs the outbox relay when PostgreSQL says events were committed (LISTEN/NOTIFY) and on a
 * short poll. Wake-ups while a run is going are folded into one more run after it.
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayRunner.name);
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = false;
  private readonly warnThrottled = throttledWarning(this.logger);

  constructor(
    private readonly relay: OutboxRelayService,
    private readonly listener: OutboxListener,
    private readonly publisher: BullMqJobPublisher,
  ) {}

  onApplicationBootstrap(): void {
    this.listener.start(() => this.wake());
    this.poll = setInterval(() => this.wake(), POLL_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.listener.stop();
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      await this.relay.relayAll(this.publisher);
    } catch (error) {
      this.warnThrottled(`outbox relay: ${(error as Error).message}; events stay in the outbox and are retried`);
    }
  }
}
