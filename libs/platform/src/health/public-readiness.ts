import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';

/** What a dependency's entry may show on the public port: facts about its state, never an address, a URL or a client's error text. */
const PUBLIC_FIELDS = ['status', 'lagSeconds', 'configured'];

function publicEntries(result: Partial<HealthIndicatorResult>): HealthIndicatorResult {
  return Object.fromEntries(
    Object.entries(result as HealthIndicatorResult).map(([name, entry]) => [
      name,
      Object.fromEntries(Object.entries(entry).filter(([field]) => PUBLIC_FIELDS.includes(field))),
    ]),
  ) as HealthIndicatorResult;
}

/** The readiness result with the same shape and statuses, each dependency reduced to its public fields. */
export function publicReadiness(result: HealthCheckResult): HealthCheckResult {
  return {
    status: result.status,
    info: result.info && publicEntries(result.info),
    error: result.error && publicEntries(result.error),
    details: publicEntries(result.details),
  };
}
