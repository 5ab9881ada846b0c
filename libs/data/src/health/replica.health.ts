import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/platform';
import { ReplicaClient } from '../replica/replica.client';

/** Reported, never fatal: a lost standby degrades disaster recovery, not serving. */
@Injectable()
export class ReplicaHealth implements ReadinessCheck {
  readonly critical = false;

  constructor(
    private readonly replicas: ReplicaClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('replica');
    if (!this.replicas.configured) return indicator.up({ configured: false });
    const replicas = await this.replicas.statuses();
    const lags = replicas.filter((r) => r.up).map((r) => r.lagSeconds ?? 0);
    const details = { replicas, ...(lags.length > 0 ? { lagSeconds: Math.max(...lags) } : {}) };
    return replicas.every((r) => r.up) ? indicator.up(details) : indicator.down(details);
  }
}
