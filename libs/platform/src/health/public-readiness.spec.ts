import type { HealthCheckResult } from '@nestjs/terminus';
import { publicReadiness } from './public-readiness';

describe('publicReadiness', () => {
  const replica = {
    status: 'down' as const,
    lagSeconds: 0.4,
    replicas: [
      { url: 'replica-1.db.internal:5432/oms', up: true, lagSeconds: 0.4 },
      { url: 'replica-2.db.internal:5432/oms', up: false, error: 'connect ECONNREFUSED 10.0.3.7:5432' },
    ],
  };
  const redis = { status: 'down' as const, message: 'connect ECONNREFUSED 10.0.2.9:6379' };
  const internal: HealthCheckResult = {
    status: 'ok',
    info: { database: { status: 'up' } },
    error: { replica, redis },
    details: { database: { status: 'up' }, replica, redis },
  };

  it('keeps the shape, every status and the replica lag, and drops addresses, URLs and error messages', () => {
    expect(publicReadiness(internal)).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: { replica: { status: 'down', lagSeconds: 0.4 }, redis: { status: 'down' } },
      details: { database: { status: 'up' }, replica: { status: 'down', lagSeconds: 0.4 }, redis: { status: 'down' } },
    });
  });

  it('keeps whether a replica is configured', () => {
    const result: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: { replica: { status: 'up', configured: false } } };
    expect(publicReadiness(result).details).toEqual({ replica: { status: 'up', configured: false } });
  });
});
