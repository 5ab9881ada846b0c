import { Inject, Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import { LifecycleState } from '../lifecycle/lifecycle.state';
import type { ReadinessCheck } from './readiness-check';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface Readiness {
  ready: boolean;
  body: HealthCheckResult;
}

function merge(results: HealthIndicatorResult[]): HealthIndicatorResult {
  return Object.assign({}, ...results) as HealthIndicatorResult;
}

@Injectable()
export class ReadinessService {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly lifecycle: LifecycleState,
  ) {}

  async evaluate(): Promise<Readiness> {
    const outcomes = await Promise.all(this.checks.map(async (check) => ({ critical: check.critical, result: await check.check() })));
    const isDown = (result: HealthIndicatorResult) => Object.values(result).some((entry) => entry.status === 'down');
    const up = outcomes.filter((o) => !isDown(o.result)).map((o) => o.result);
    const down = outcomes.filter((o) => isDown(o.result));
    if (this.lifecycle.isDraining) {
      down.push({ critical: true, result: { shutdown: { status: 'down', message: 'draining' } } });
    }
    const ready = !down.some((o) => o.critical);
    return {
      ready,
      body: {
        status: ready ? 'ok' : 'error',
        info: merge(up),
        error: merge(down.map((o) => o.result)),
        details: merge([...up, ...down.map((o) => o.result)]),
      },
    };
  }
}
