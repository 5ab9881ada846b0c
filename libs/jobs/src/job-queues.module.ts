import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { QueueName } from './job-contracts';
import { QueueOverview } from './queue-overview.service';

export type QueueRole = 'producer' | 'worker';

/** BullMQ connection options from REDIS_URL (redis:// or rediss://, with user, password and db). */
export function redisOptions(redisUrl: string, role: QueueRole): RedisOptions {
  const url = new URL(redisUrl);
  const roleOptions: RedisOptions =
    role === 'worker'
      ? // BullMQ's workers block on Redis and must retry forever.
        { maxRetriesPerRequest: null }
      : // A producer (an HTTP request, the relay) fails fast while Redis is down and tries again later.
        { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    ...roleOptions,
  };
}

/**
 * Every queue of QueueName, on Redis, under QUEUE_PREFIX; the worker's connection waits, a producer's
 * fails fast. Global: the app imports it once and every module injects the queues it uses, each one
 * Queue (one connection) per process.
 */
@Module({})
export class JobQueuesModule {
  static forRoot(role: QueueRole): DynamicModule {
    return {
      module: JobQueuesModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ connection: redisOptions(config.redisUrl, role), prefix: config.queuePrefix }),
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: [QueueOverview],
      exports: [BullModule, QueueOverview],
    };
  }
}
