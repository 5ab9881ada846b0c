import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessCheck, withTimeout } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';

/** A primary slower than this to answer `SELECT 1` counts as down. */
const PING_TIMEOUT_MS = 1500;

/** Without the primary this instance can neither read nor write: readiness fails. */
@Injectable()
export class PrimaryDatabaseHealth implements ReadinessCheck {
  readonly critical = true;

  constructor(
    private readonly primary: PrimaryDatabase,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.primary.query('SELECT 1'), PING_TIMEOUT_MS, 'the primary did not answer');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
