import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisClient } from './redis.client';
import { RedisHealth } from './redis.health';

@Module({
  imports: [TerminusModule],
  providers: [RedisClient, RedisHealth],
  exports: [RedisClient, RedisHealth],
})
export class CacheModule {}
