import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RateLimitStorage } from './rate-limit/rate-limit.storage';
import { RedisClient } from './redis.client';
import { RedisHealth } from './redis.health';

@Module({
  imports: [TerminusModule],
  providers: [RedisClient, RedisHealth, RateLimitStorage],
  exports: [RedisClient, RedisHealth, RateLimitStorage],
})
export class CacheModule {}
