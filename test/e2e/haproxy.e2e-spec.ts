import { setTimeout as sleep } from 'node:timers/promises';
import { baseEnv, startApp, StartedApp } from '../support/app-process';
import { TestHaproxy } from '../support/haproxy';
import { requestLoop } from '../support/request-loop';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

describe('through HAProxy (docker/haproxy.cfg)', () => {
  let databases: TestDatabases;
  let instances: StartedApp[] = [];
  const haproxy = new TestHaproxy();

  beforeAll(async () => {
    databases = await createTestDatabases('haproxy');
    const env = baseEnv({
      DATABASE_URL: databases.databaseUrl,
      WAREHOUSE_URL: databases.warehouseUrl,
      SHUTDOWN_DRAIN_MS: '6000',
    });
    instances = await Promise.all([startApp('sync-api', env), startApp('sync-api', env)]);
    await haproxy.start([instances[0].url, instances[1].url]);
  });

  afterAll(async () => {
    await haproxy.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    await databases?.drop();
  });

  it('loses no request while one sync-api instance is stopped with SIGTERM', async () => {
    const loop = requestLoop(`${haproxy.url}/health/live`);
    await sleep(500);
    instances[0].signal('SIGTERM');
    expect(await instances[0].exited).toBe(0);
    await sleep(1500);
    const { ok, failures } = await loop.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
  });
});
