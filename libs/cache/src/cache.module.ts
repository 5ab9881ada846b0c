import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RateLimitStorage } from './rate-limit/rate-limit.storage';
import { RedisClient } from './redis.client';
import { RedisHealth } from './redis.health';
import { CacheInvalidator } from './tiered/cache-invalidator';
import { InvalidationBus } from './tiered/invalidation-bus';
import { RedisCacheStore } from './tiered/redis-cache.store';

@Module({
  imports: [TerminusModule],
  providers: [RedisClient, RedisHealth, RateLimitStorage, RedisCacheStore, InvalidationBus, CacheInvalidator],
  exports: [RedisClient, RedisHealth, RateLimitStorage, RedisCacheStore, InvalidationBus, CacheInvalidator],
})
export class CacheModule {}
