import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '@app/platform';
import { RateLimitStorage } from './rate-limit/rate-limit.storage';
import { RedisClient } from './redis.client';
import { RedisHealth } from './redis.health';
import { CacheInvalidator } from './tiered/cache-invalidator';
import { CacheMetrics } from './tiered/cache-metrics';
import { InvalidationBus } from './tiered/invalidation-bus';
import { RedisCacheStore } from './tiered/redis-cache.store';
import { TieredCache } from './tiered/tiered-cache.service';

/**
 * Redis, the tiered cache and its invalidation: one of each per process, shared by the response
 * cache of the HTTP app and the cached reads of the libs (the routing configuration the worker's
 * brokering reads), so that one L1 hears the evictions.
 */
@Module({
  imports: [TerminusModule, MetricsModule],
  providers: [RedisClient, RedisHealth, RateLimitStorage, RedisCacheStore, InvalidationBus, CacheInvalidator, CacheMetrics, TieredCache],
  exports: [RedisClient, RedisHealth, RateLimitStorage, RedisCacheStore, InvalidationBus, CacheInvalidator, TieredCache],
})
export class CacheModule {}
