import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '@app/platform';

const CHANNEL = 'outbox_event';
const RECONNECT_DELAY_MS = 1000;

/**
 * LISTEN on the outbox channel over its own connection, calling `onEvent` when events were
 * committed. It reconnects by itself; what it misses while disconnected the relay's poll finds.
 */
@Injectable()
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client: Client | undefined;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

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
      this.logger.warn(`outbox listener lost its connection: ${error.message}`);
      this.reconnect(client, onEvent);
    });
    client.on('end', () => this.reconnect(client, onEvent));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      onEvent();
    } catch (error) {
      this.logger.warn(`outbox listener cannot connect: ${(error as Error).message}`);
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
