import { setTimeout as sleep } from 'node:timers/promises';
import { reportTraffic } from '../support/drill-report';
import { DrillStack, readinessBecomes, startDrillStack } from '../support/drill-stack';
import { withClient } from '../support/test-databases';
import { ClusterUrls, PgCluster } from '../support/pg-cluster';
import { isRetrySafe, Operation } from '../support/traffic';

const MIX: Partial<Record<Operation, number>> = { product: 2, availability: 2, orderRead: 1, list: 2, order: 3, cancel: 1, stock: 1, reject: 1 };

/**
 * The PostgreSQL pair stopped under the apps' feet, on a pair of the drill's own (never the shared
 * one other tests use): replica reads are switched on, so the replica carries list reads until it
 * stops.
 */
describe('drill: PostgreSQL replica and primary stopped and started while orders flow', () => {
  const cluster = new PgCluster('drills', 5444, 5443);
  const stopped = new Set<'primary' | 'replica'>();
  let stack: DrillStack;
  let servers: ClusterUrls;

  const stop = async (node: 'primary' | 'replica') => {
    stopped.add(node);
    await cluster.run(`${node}-stop`);
  };
  const start = async (node: 'primary' | 'replica') => {
    await cluster.run(`${node}-start`);
    stopped.delete(node);
  };

  beforeAll(async () => {
    servers = await cluster.up();
    stack = await startDrillStack({ prefix: 'drill_pg', syncApis: 1, workers: 1, servers, env: { READ_FROM_REPLICA: 'true' } });
  });

  afterAll(async () => {
    for (const node of stopped) await cluster.run(`${node}-start`);
    await stack?.stop();
  });

  it('replica stopped and started: no request fails (list reads fall back to the primary), readiness 200 reporting it', async () => {
    const [api] = stack.apis;
    await readinessBecomes(api, 200, { replica: 'up' });
    const traffic = stack.traffic({ concurrency: 4, mix: MIX, retry: false }).start();
    await sleep(2000);

    await stop('replica');
    await readinessBecomes(api, 200, { replica: 'down', database: 'up' });
    await sleep(3000);
    await start('replica');
    await readinessBecomes(api, 200, { replica: 'up' });
    await sleep(2000);
    const report = await traffic.stop();
    reportTraffic('replica stop/start drill', report);

    expect(report.failedAttempts).toEqual([]);
    await stack.verify(report);
  });

  it('primary restarted: the same processes reconnect, retry-safe requests succeed on retry, orders created after it are brokered', async () => {
    const [api] = stack.apis;
    const [worker] = stack.workers;
    const traffic = stack.traffic({ concurrency: 4, mix: MIX, retry: true, retryForMs: 120_000 }).start();
    await sleep(2000);

    await stop('primary');
    await readinessBecomes(api, 503);
    await sleep(2000);
    await start('primary');
    const backAt = new Date();
    const apiBackMs = await readinessBecomes(api, 200, { database: 'up' });
    const workerBackMs = await readinessBecomes(worker, 200, { database: 'up' });
    await sleep(3000);
    const report = await traffic.stop();
    reportTraffic('primary restart drill', report, { 'sync-api ready again after (ms)': apiBackMs, 'worker ready again after (ms)': workerBackMs });

    // Neither process was restarted: they reconnected by themselves.
    expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect(report.failedForGood.filter((failure) => isRetrySafe(failure.operation))).toEqual([]);
    await stack.verify(report);
    const [after] = await withClient(stack.databaseUrl, async (client) => {
      const { rows } = await client.query<{ orders: number; brokered: number }>(
        `SELECT count(*)::int AS orders, count(*) FILTER (WHERE status NOT IN ('CREATED', 'APPROVED'))::int AS brokered FROM sales_order WHERE created_at > $1`,
        [backAt],
      );
      return rows;
    });
    expect(after.orders).toBeGreaterThan(0);
    expect(after.brokered).toBe(after.orders);
  });

  it('services.sh up turns fsync and full-page writes off on both nodes with OMS_PG_FAST_UNSAFE=1 and on again without it, without a restart; a drill pair is durable', async () => {
    const nodes = (urls: ClusterUrls) =>
      Promise.all(
        [urls.DATABASE_URL, urls.DATABASE_REPLICA_URLS].map((url) =>
          withClient(url, async (client) => {
            const { rows } = await client.query<{ fsync: string; fpw: string; started: Date }>(
              `SELECT current_setting('fsync') AS fsync, current_setting('full_page_writes') AS fpw, pg_postmaster_start_time() AS started`,
            );
            return rows[0];
          }),
        ),
      );
    const before = await nodes(servers);
    const durable = before.map(({ started }) => ({ fsync: 'on', fpw: 'on', started }));
    const unsafe = before.map(({ started }) => ({ fsync: 'off', fpw: 'off', started }));
    expect(before).toEqual(durable);

    expect(await nodes(await cluster.up({ OMS_PG_FAST_UNSAFE: '1' }))).toEqual(unsafe);
    expect(await nodes(await cluster.up())).toEqual(durable);
  });
});
