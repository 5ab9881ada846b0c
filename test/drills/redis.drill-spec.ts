import { setTimeout as sleep } from 'node:timers/promises';
import { reportTraffic } from '../support/drill-report';
import { DrillStack, readiness, readinessBecomes, startDrillStack } from '../support/drill-stack';
import { pendingWork } from '../support/invariants';
import { TestRedisServer } from '../support/redis-server';

/**
 * Redis (cache, queues, rate-limit store, eviction bus) stopped and started while traffic flows,
 * a Redis of the drill's own: the API degrades instead of failing (invariant 7), orders committed
 * meanwhile wait in the outbox and are brokered once it is back (invariant 2). This Redis keeps no
 * data across a restart, so jobs it held are gone: the brokering sweep (every 5 s here, every
 * 5 minutes by default) finds their orders again.
 */
describe('drill: Redis stopped and started while traffic flows', () => {
  const redis = new TestRedisServer();
  let stack: DrillStack;
  let redisStopped = false;

  beforeAll(async () => {
    await redis.start();
    stack = await startDrillStack({
      prefix: 'drill_redis',
      syncApis: 1,
      workers: 1,
      env: { REDIS_URL: redis.url },
      workerEnv: { BROKERING_SWEEP_CRON: '*/5 * * * * *' },
    });
  });

  afterAll(async () => {
    if (redisStopped) await redis.start();
    await stack?.stop();
    await redis.stop();
  });

  it('no request fails, readiness stays 200 reporting redis down, and every order is brokered once Redis is back', async () => {
    const [api] = stack.apis;
    const traffic = stack
      .traffic({
        concurrency: 4,
        mix: { product: 2, availability: 2, orderRead: 1, list: 1, order: 3, cancel: 1, stock: 1, reject: 1 },
        retry: false,
      })
      .start();
    await sleep(2000);

    redisStopped = true;
    await redis.stop();
    await readinessBecomes(api, 200, { redis: 'down', database: 'up' });
    const ordersBefore = traffic.ordersAcknowledged;
    await sleep(4000);
    const ordersWhileDown = traffic.ordersAcknowledged - ordersBefore;
    const workerWhileDown = await readiness(stack.workers[0]);
    const { unpublishedEvents } = await pendingWork(stack.databaseUrl);

    await redis.start();
    redisStopped = false;
    await readinessBecomes(api, 200, { redis: 'up' });
    await sleep(3000);
    const report = await traffic.stop();
    reportTraffic('Redis stop/start drill', report, {
      'orders acknowledged while Redis was down': ordersWhileDown,
      'outbox events waiting for Redis': unpublishedEvents,
      'worker readiness while Redis was down': `${workerWhileDown.status} ${JSON.stringify(workerWhileDown.details)}`,
    });

    expect(report.failedAttempts).toEqual([]);
    expect(ordersWhileDown).toBeGreaterThan(0);
    // Their events waited in the outbox, committed with them, for Redis to come back.
    expect(unpublishedEvents).toBeGreaterThan(0);
    await stack.verify(report);
  });
});
