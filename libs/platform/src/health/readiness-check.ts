import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency that readiness looks at. A critical check that is down takes the instance out of
 * the load balancer; a non-critical one is only reported, so that an outage of a shared
 * dependency (Redis, the replica) does not take the whole fleet out at once.
 */
export interface ReadinessCheck {
  readonly critical: boolean;
  check(): Promise<HealthIndicatorResult>;
}
