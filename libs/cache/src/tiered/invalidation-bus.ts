import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, throttledWarning } from '@app/platform';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisClient } from '../redis.client';
import type { TagVersions } from './cache-entry';

export interface EvictionListener {
  /** Newer versions of these tags exist: older entries of them must not be served. */
  evict(versions: TagVersions): void;
  /** The bus lost or regained Redis: nothing heard before can be trusted. */
  reset(): void;
}

interface PendingAcks {
  received: number;
  expected: number;
  done: () => void;
}

/**
 * Evictions between instances over Redis pub/sub, acknowledged: `awaitAcks` resolves once every
 * instance that received the message (the count PUBLISH returns) has applied it, so that after a
 * write returns no instance still serves the old value. An instance whose subscription is down
 * reports `listening = false` and must not serve from its L1.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationBus.name);
  private readonly warnThrottled = throttledWarning(this.logger);
  private readonly instanceId = randomUUID();
  private readonly evictChannel: string;
  private readonly ackChannelPrefix: string;
  private readonly subscriber: Redis;
  private readonly pending = new Map<string, PendingAcks>();
  private listener: EvictionListener | undefined;
  private sequence = 0;
  private subscribed = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisClient,
  ) {
    this.evictChannel = `${config.queuePrefix}:cache:evict`;
    this.ackChannelPrefix = `${config.queuePrefix}:cache:ack:`;
    this.subscriber = redis.connection.duplicate({ autoResubscribe: false, lazyConnect: true });
    this.subscriber.on('error', (error: Error) => this.warnThrottled(`cache eviction bus: ${error.message}`));
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('message', (channel: string, message: string) => this.received(channel, message));
  }

  get listening(): boolean {
    return this.subscribed;
  }

  /**
   * Hears evictions from now on. Only an instance that keeps an L1 listens: the others (workers)
   * subscribe to their acknowledgements alone, so no writer waits for them to acknowledge.
   */
  listen(listener: EvictionListener): void {
    this.listener = listener;
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  async onModuleInit(): Promise<void> {
    await this.subscriber.connect().catch((error: Error) => this.warnThrottled(`cache eviction bus: ${error.message}`));
  }

  /** A message id whose acknowledgements come back to this instance; register it before publishing. */
  nextMessageId(): string {
    return `${this.instanceId}/${++this.sequence}`;
  }

  get channel(): string {
    return this.evictChannel;
  }

  /** Waits until `receivers` instances acknowledged message `id`, or `timeoutMs`; resolves either way. */
  async awaitAcks(id: string, receivers: Promise<number>, timeoutMs: number): Promise<void> {
    const acks: PendingAcks = { received: 0, expected: Number.POSITIVE_INFINITY, done: () => undefined };
    const allAcked = new Promise<void>((resolve) => (acks.done = resolve));
    this.pending.set(id, acks);
    let timer: NodeJS.Timeout | undefined;
    try {
      acks.expected = await receivers;
      if (acks.received >= acks.expected) return;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      if ((await Promise.race([allAcked, timedOut])) === 'timeout') {
        this.warnThrottled(`cache eviction ${id}: ${acks.received} of ${acks.expected} instances acknowledged within ${timeoutMs} ms`);
      }
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      const ownAcks = this.ackChannelPrefix + this.instanceId;
      await (this.listener ? this.subscriber.subscribe(ownAcks, this.evictChannel) : this.subscriber.subscribe(ownAcks));
      this.listener?.reset();
      this.subscribed = this.listener !== undefined;
    } catch (error) {
      this.warnThrottled(`cache eviction bus: ${(error as Error).message}`);
    }
  }

  private lost(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.listener?.reset();
  }

  private received(channel: string, message: string): void {
    if (channel === this.evictChannel) return this.applyEviction(message);
    const acks = this.pending.get(message);
    if (acks && ++acks.received >= acks.expected) acks.done();
  }

  private applyEviction(message: string): void {
    let parsed: { id: string; versions: TagVersions };
    try {
      parsed = JSON.parse(message) as { id: string; versions: TagVersions };
    } catch {
      return this.warnThrottled('cache eviction bus: unreadable message ignored');
    }
    this.listener?.evict(parsed.versions);
    const origin = parsed.id.slice(0, parsed.id.indexOf('/'));
    this.redis.connection.publish(this.ackChannelPrefix + origin, parsed.id).catch(() => undefined);
  }
}
