import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '@app/platform';

const RECONNECT_DELAY_MS = 1000;

/**
 * LISTEN on a channel over its own connection, calling `onEvent` when a notification arrives (on
 * commit of what a trigger announced). It reconnects by itself; what it misses while disconnected
 * the caller's poll finds.
 */
export abstract class NotificationListener {
  private readonly logger: Logger;
  private client: Client | undefined;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly channel: string,
  ) {
    this.logger = new Logger(new.target.name);
  }

  start(onEvent: () => void): void {
    this.stopped = false;
    void this.connect(onEvent);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(onEvent: () => void): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.database.primaryUrl });
    client.on('notification', () => onEvent());
    client.on('error', (error) => {
      this.logger.warn(`${this.channel} listener lost its connection: ${error.message}`);
      this.reconnect(client, onEvent);
    });
    client.on('end', () => this.reconnect(client, onEvent));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      onEvent();
    } catch (error) {
      this.logger.warn(`${this.channel} listener cannot connect: ${(error as Error).message}`);
      this.reconnect(client, onEvent);
    }
  }

  private reconnect(client: Client, onEvent: () => void): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(onEvent), RECONNECT_DELAY_MS);
  }
}

/** Wakes the outbox relay when events were committed. */
@Injectable()
export class OutboxListener extends NotificationListener {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config, 'outbox_event');
  }
}
