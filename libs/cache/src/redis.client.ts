import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, throttledWarning, withTimeout } from '@app/platform';
import Redis from 'ioredis';

const PING_TIMEOUT_MS = 1000;

/**
 * The shared Redis connection. Commands fail fast while Redis is unreachable (no offline queue)
 * so callers can degrade instead of hanging; the client keeps reconnecting in the background.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly connection: Redis;
  private readonly warnThrottled = throttledWarning(this.logger);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.connection.on('error', (error) => this.warnThrottled(`Redis unavailable: ${error.message}`));
  }

  async ping(): Promise<void> {
    await withTimeout(this.connection.ping(), PING_TIMEOUT_MS, 'no PONG');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
