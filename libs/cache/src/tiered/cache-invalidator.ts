import { Injectable, Logger } from '@nestjs/common';
import { throttledWarning } from '@app/platform';
import { InvalidationBus } from './invalidation-bus';
import { RedisCacheStore } from './redis-cache.store';

const ACK_TIMEOUT_MS = 500;

export interface InvalidateOptions {
  /** Wait until every instance has dropped its L1 copies (a write about to answer its client); default true. */
  waitForInstances?: boolean;
}

/**
 * Invalidation by tag: bumps the tags' versions in Redis (entries built at older versions are
 * never served again, on any tier) and broadcasts the new versions to every instance's L1. Never
 * fails the write that calls it: with Redis unreachable there is nothing to invalidate that any
 * instance would serve (L1 is off without the bus), and the outbox relay invalidates again.
 */
@Injectable()
export class CacheInvalidator {
  private readonly logger = new Logger(CacheInvalidator.name);
  private readonly warnThrottled = throttledWarning(this.logger);

  constructor(
    private readonly store: RedisCacheStore,
    private readonly bus: InvalidationBus,
  ) {}

  async invalidate(tags: Iterable<string>, options: InvalidateOptions = {}): Promise<void> {
    const unique = [...new Set(tags)];
    if (unique.length === 0) return;
    const id = this.bus.nextMessageId();
    const published = this.store.bumpAndPublish(this.bus.channel, id, unique);
    try {
      if (options.waitForInstances === false) await published;
      else
        await this.bus.awaitAcks(
          id,
          published.then((result) => result.receivers),
          ACK_TIMEOUT_MS,
        );
    } catch (error) {
      this.warnThrottled(`cache invalidation of ${unique.length} tag(s) failed: ${(error as Error).message}`);
    }
  }
}
