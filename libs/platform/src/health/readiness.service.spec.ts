import type { HealthIndicatorResult } from '@nestjs/terminus';
import { LifecycleState } from '../lifecycle/lifecycle.state';
import type { ReadinessCheck } from './readiness-check';
import { ReadinessService } from './readiness.service';

const check = (critical: boolean, result: HealthIndicatorResult): ReadinessCheck => ({
  critical,
  check: () => Promise.resolve(result),
});
const database = (status: 'up' | 'down') => check(true, { database: { status } });
const redis = (status: 'up' | 'down') => check(false, { redis: { status } });

describe('ReadinessService', () => {
  it('is ready when every check is up', async () => {
    const { ready, body } = await new ReadinessService([database('up'), redis('up')], new LifecycleState()).evaluate();
    expect(ready).toBe(true);
    expect(body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('stays ready when only a non-critical dependency is down, and reports it', async () => {
    const { ready, body } = await new ReadinessService([database('up'), redis('down')], new LifecycleState()).evaluate();
    expect(ready).toBe(true);
    expect(body.error).toEqual({ redis: { status: 'down' } });
    expect(body.details.redis).toEqual({ status: 'down' });
  });

  it('is not ready when a critical dependency is down', async () => {
    const { ready, body } = await new ReadinessService([database('down'), redis('up')], new LifecycleState()).evaluate();
    expect(ready).toBe(false);
    expect(body.status).toBe('error');
  });

  it('is not ready while draining, even with everything up', async () => {
    const lifecycle = new LifecycleState();
    lifecycle.startDraining();
    const { ready, body } = await new ReadinessService([database('up')], lifecycle).evaluate();
    expect(ready).toBe(false);
    expect(body.error).toEqual({ shutdown: { status: 'down', message: 'draining' } });
  });
});
