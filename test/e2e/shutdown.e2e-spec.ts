import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { baseEnv, startApp } from '../support/app-process';
import { eventually } from '../support/http';
import { requestLoop } from '../support/request-loop';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

const DRAIN_MS = 3000;
/** sync-api's close timeout after the drain (CLOSE_TIMEOUT_MS in apps/sync-api/src/main.ts). */
const HARD_DEADLINE_MS = 10_000;

describe('graceful shutdown on SIGTERM', () => {
  let databases: TestDatabases;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    databases = await createTestDatabases('shutdown');
    env = baseEnv({
      DATABASE_URL: databases.databaseUrl,
      WAREHOUSE_URL: databases.warehouseUrl,
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    });
  });

  afterAll(async () => {
    await databases?.drop();
  });

  it('sync-api: readiness 503 within 1 s, every request of the stream answered, exit 0 after the drain', async () => {
    const api = await startApp('sync-api', env);
    const loop = requestLoop(`${api.url}/health/live`);
    await sleep(300);

    const signalledAt = Date.now();
    api.signal('SIGTERM');
    const untilNotReady = await eventually(async () => (await fetch(`${api.url}/health/ready`)).status === 503, 5000, 20);
    expect(untilNotReady).toBeLessThan(1000);

    // The load balancer stops sending during the drain; until then every request must succeed.
    await sleep(DRAIN_MS - 700 - (Date.now() - signalledAt));
    const { ok, failures } = await loop.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);

    const code = await api.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_MS + 5000);
  });

  it('async-worker: exits 0 on SIGTERM', async () => {
    const worker = await startApp('async-worker', env);
    worker.signal('SIGTERM');
    await eventually(async () => (await fetch(`${worker.url}/health/ready`)).status === 503, 5000, 20);
    expect(await worker.exited).toBe(0);
  });

  it('a second SIGTERM ends the process at once instead of waiting for the drain', async () => {
    const api = await startApp('sync-api', baseEnv({ ...env, SHUTDOWN_DRAIN_MS: '60000' }));
    api.signal('SIGTERM');
    await eventually(async () => (await fetch(`${api.url}/health/ready`)).status === 503, 5000, 20);
    const secondAt = Date.now();
    api.signal('SIGTERM');
    expect(await api.exited).toBe(1);
    expect(Date.now() - secondAt).toBeLessThan(5000);
  });

  it('a close that hangs (a request that never finishes) ends in exit 1 at the hard deadline, not never', async () => {
    const api = await startApp('sync-api', baseEnv({ ...env, SHUTDOWN_DRAIN_MS: '200' }));
    const { hostname, port } = new URL(api.url);
    const stuck = connect(Number(port), hostname);
    stuck.on('error', () => undefined);
    await new Promise((resolve) => stuck.once('connect', resolve));
    // Headers promise a body that never comes: the request stays in flight and close() waits for it.
    stuck.write('POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sku":');
    await sleep(200);

    const signalledAt = Date.now();
    api.signal('SIGTERM');
    expect(await api.exited).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(200 + HARD_DEADLINE_MS + 5000);
    stuck.destroy();
  });
});
