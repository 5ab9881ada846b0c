import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/platform';

/** Without the primary this instance can neither read nor write: readiness fails. */
@Injectable()
export class PrimaryDatabaseHealth implements ReadinessCheck {
  readonly critical = true;

  constructor(private readonly typeOrm: TypeOrmHealthIndicator) {}

  check(): Promise<HealthIndicatorResult> {
    return this.typeOrm.pingCheck('database', { timeout: 1500 });
  }
}
