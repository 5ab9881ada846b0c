import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/platform';
import { RedisClient } from './redis.client';

/** Reported, never fatal: without Redis the API serves from the database, uncached. */
@Injectable()
export class RedisHealth implements ReadinessCheck {
  readonly critical = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      await this.redis.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
