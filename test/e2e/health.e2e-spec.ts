import { startApp, StartedApp, baseEnv } from '../support/app-process';
import { eventually, getJson } from '../support/http';
import { PgCluster } from '../support/pg-cluster';
import { TestRedisServer } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

type Details = Record<string, { status: string; lagSeconds?: number; configured?: boolean }>;
interface ReadinessBody {
  status: string;
  info: Details;
  error: Details;
  details: Details;
}

const ready = (app: StartedApp) => getJson<ReadinessBody>(`${app.url}/health/ready`);

describe('health for the load balancer (sync-api and async-worker)', () => {
  /** The replica stopped is that of a pair of the suite's own, so that the suites running alongside keep theirs. */
  const cluster = new PgCluster('e2e-health', 5474, 5473);
  let databases: TestDatabases;
  let primaryProxy: TcpProxy;
  const redis = new TestRedisServer();
  let api: StartedApp;
  let worker: StartedApp;

  beforeAll(async () => {
    databases = await createTestDatabases('health', await cluster.up());
    primaryProxy = TcpProxy.forUrl(databases.databaseUrl);
    await primaryProxy.open();
    await redis.start();
    const env = baseEnv({
      DATABASE_URL: primaryProxy.rewrite(databases.databaseUrl),
      DATABASE_REPLICA_URLS: databases.replicaUrl,
      WAREHOUSE_URL: databases.warehouseUrl,
      REDIS_URL: redis.url,
    });
    [api, worker] = await Promise.all([startApp('sync-api', env), startApp('async-worker', env)]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await primaryProxy?.cut();
    await redis.stop();
    await databases?.drop();
    await cluster.run('down');
  });

  it('liveness answers 200 {"status":"ok"} on both apps', async () => {
    for (const app of [api, worker]) {
      const live = await getJson(`${app.url}/health/live`);
      expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });

  it('readiness is 200 with database, replica (with its lag) and redis up', async () => {
    for (const app of [api, worker]) {
      const { status, body } = await ready(app);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.details.database.status).toBe('up');
      expect(body.details.redis.status).toBe('up');
      expect(body.details.replica.status).toBe('up');
      expect(typeof body.details.replica.lagSeconds).toBe('number');
    }
  });

  it('stays 200 with the replica stopped, reporting it down', async () => {
    await cluster.run('replica-stop');
    try {
      for (const app of [api, worker]) {
        const { status, body } = await ready(app);
        expect(status).toBe(200);
        expect(body.details.replica.status).toBe('down');
        expect(body.error.replica.status).toBe('down');
        expect(body.details.database.status).toBe('up');
      }
    } finally {
      await cluster.run('replica-start');
    }
    await eventually(async () => (await ready(api)).body.details.replica.status === 'up');
  });

  it('stays 200 with Redis stopped, reporting it down, and recovers when it is back', async () => {
    await redis.stop();
    for (const app of [api, worker]) {
      const { status, body } = await ready(app);
      expect(status).toBe(200);
      expect(body.details.redis.status).toBe('down');
    }
    await redis.start();
    await eventually(async () => (await ready(api)).body.details.redis.status === 'up');
  });

  it('turns 503 when the primary is unreachable, and 200 again when it is back', async () => {
    await primaryProxy.cut();
    for (const app of [api, worker]) {
      const { status, body } = await ready(app);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.error.database.status).toBe('down');
    }
    const live = await getJson(`${api.url}/health/live`);
    expect(live.status).toBe(200);

    await primaryProxy.open();
    await eventually(async () => (await ready(api)).status === 200);
    await eventually(async () => (await ready(worker)).status === 200);
  });
});
