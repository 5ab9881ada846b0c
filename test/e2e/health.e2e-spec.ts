import { startApp, StartedApp, baseEnv } from '../support/app-process';
import { eventually, getJson } from '../support/http';
import { PgCluster } from '../support/pg-cluster';
import { TestRedisServer } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

type Details = Record<string, { status: string; lagSeconds?: number; configured?: boolean; message?: string; replicas?: { url: string }[] }>;
interface ReadinessBody {
  status: string;
  info: Details;
  error: Details;
  details: Details;
}

const ready = (app: StartedApp) => getJson<ReadinessBody>(`${app.url}/health/ready`);
const internalReady = (app: StartedApp) => getJson<ReadinessBody>(`${app.internalUrl}/health/ready`);

const PUBLIC_FIELDS = ['status', 'lagSeconds', 'configured'];

describe('health for the load balancer (sync-api and async-worker)', () => {
  /** The replica stopped is that of a pair of the suite's own, so that the suites running alongside keep theirs. */
  const cluster = new PgCluster('e2e-health', 5474, 5473);
  let databases: TestDatabases;
  let primaryProxy: TcpProxy;
  const redis = new TestRedisServer();
  let api: StartedApp;
  let worker: StartedApp;

  /**
   * sync-api's public readiness: database, replica and redis, each with its status (the replica with
   * its lag) and nothing that names an address, a URL or a client's error.
   */
  async function publicReadiness(): Promise<ReadinessBody> {
    const { body } = await ready(api);
    expect(Object.keys(body.details).sort()).toEqual(['database', 'redis', 'replica']);
    for (const entry of [body.info, body.error, body.details].flatMap((section) => Object.values(section))) {
      expect(['up', 'down']).toContain(entry.status);
      expect(Object.keys(entry).filter((field) => !PUBLIC_FIELDS.includes(field))).toEqual([]);
    }
    const text = JSON.stringify(body);
    const ports = [primaryProxy.port, new URL(databases.replicaUrl).port, redis.port].map((port) => `:${port}`);
    for (const internal of ['127.0.0.1', 'localhost', 'ECONNREFUSED', 'redis://', 'postgres', 'replicas', 'message', ...ports]) {
      expect(text).not.toContain(internal);
    }
    return body;
  }

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

  it("sync-api's public readiness names no address, URL or error; its internal port's readiness names the replicas", async () => {
    const body = await publicReadiness();
    expect(body.status).toBe('ok');
    expect(body.details).toEqual({
      database: { status: 'up' },
      replica: { status: 'up', lagSeconds: expect.any(Number) },
      redis: { status: 'up' },
    });
    const internal = (await internalReady(api)).body;
    expect(internal.details.replica.replicas?.[0].url).toContain(`:${new URL(databases.replicaUrl).port}`);
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
      expect((await publicReadiness()).details.replica).toEqual({ status: 'down' });
      expect(JSON.stringify((await internalReady(api)).body.details.replica)).toContain(`:${new URL(databases.replicaUrl).port}`);
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
    expect((await publicReadiness()).details.redis).toEqual({ status: 'down' });
    expect((await internalReady(api)).body.details.redis.message).toEqual(expect.any(String));
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
    expect((await publicReadiness()).details.database).toEqual({ status: 'down' });
    expect((await internalReady(api)).body.details.database.message).toEqual(expect.any(String));
    const live = await getJson(`${api.url}/health/live`);
    expect(live.status).toBe(200);

    await primaryProxy.open();
    await eventually(async () => (await ready(api)).status === 200);
    await eventually(async () => (await ready(worker)).status === 200);
  });
});
