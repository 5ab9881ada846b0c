import { valueWithin } from '../support/http';
import { Queue } from 'bullmq';
import { ADDRESS, ApiFixture, Order, startApi, uniqueSuffix } from '../support/api-fixture';
import { TestRedisServer } from '../support/redis-server';

const WITHIN_MS = 30_000;
const EVERY_SECOND = '* * * * * *';
/** Schedule runs counted: three workers running each tick would make them in a third of the seconds. */
const TICKS = 5;
const DRAIN_MS = 1500;

/** Waits up to WITHIN_MS for what `probe` finds. */
const eventually = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => valueWithin(probe, what, WITHIN_MS);

/**
 * No lost work (invariant 2 of docs/architecture.md) and once per tick (invariant 3), with real worker
 * processes: Redis down when an order is committed, a worker killed mid-batch, three workers
 * sharing one schedule.
 */
describe('async-worker: no lost work, once per tick', () => {
  const redis = new TestRedisServer();
  const queuePrefix = `test_worker_${uniqueSuffix()}`;
  let f: ApiFixture;

  beforeAll(async () => {
    await redis.start();
    f = await startApi('worker', { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix });
  });

  afterAll(async () => {
    await f?.stop();
    await redis.stop();
  });

  const createOrder = async (productId: string) => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'w@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId, quantity: 1 }],
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const statusOf = async (orderId: string) => (await f.api<Order>('GET', `/orders/${orderId}`)).body.status;

  it('an order committed while Redis is down is brokered once Redis is back', async () => {
    const worker = await f.startWorker();
    const product = await f.createProduct();
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 5);

    await redis.stop();
    const logMark = worker.logs.length;
    const order = await createOrder(product.id);
    // The relay has tried to publish the order's event and could not (it says so once per 10 s).
    await eventually(
      async () => (worker.logs.slice(logMark).some((line) => line.includes('outbox relay:')) ? true : undefined),
      'the relay to fail with Redis down',
    );
    expect(await statusOf(order.id)).toBe('APPROVED');
    const [pending] = await f.sql<{ count: string }>(`SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 AND published_at IS NULL`, [
      order.id,
    ]);
    expect(Number(pending.count)).toBe(1);

    await redis.start();
    await eventually(async () => ((await statusOf(order.id)) === 'BROKERED' ? true : undefined), 'the order to be brokered');
    expect(worker.child.exitCode).toBeNull();
    await worker.stop();
  });

  it('a worker killed with SIGKILL mid-batch, then another started: every order brokered exactly once', async () => {
    const product = await f.createProduct();
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 1000);
    const doomed = await f.startWorker();
    const orders = await Promise.all(Array.from({ length: 150 }, () => createOrder(product.id)));
    await eventually(async () => {
      const [row] = await f.sql<{ count: string }>(`SELECT count(*) FROM sales_order WHERE status = 'BROKERED'`);
      return Number(row.count) > 0 ? true : undefined;
    }, 'brokering to start');
    doomed.signal('SIGKILL');
    await doomed.exited;

    await f.startWorker({ BROKERING_SWEEP_CRON: EVERY_SECOND });
    const ids = orders.map((order) => order.id);
    await eventually(async () => {
      const [row] = await f.sql<{ open: string }>(`SELECT count(*) AS open FROM sales_order WHERE id = ANY($1::uuid[]) AND status = 'APPROVED'`, [
        ids,
      ]);
      return Number(row.open) === 0 ? true : undefined;
    }, 'every order to be brokered');

    const [ledger] = await f.sql<{ orders: string; rows: string; reserved: string }>(
      `SELECT count(DISTINCT order_id) AS orders, count(*) AS rows, sum(reserved_delta) AS reserved
         FROM inventory_ledger WHERE facility_id = $1 AND product_id = $2 AND reserved_delta > 0`,
      [facility.id, product.id],
    );
    expect([Number(ledger.orders), Number(ledger.rows), Number(ledger.reserved)]).toEqual([150, 150, 150]);
    const [stock] = await f.sql<{ reserved: number }>(
      'SELECT quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
      [facility.id, product.id],
    );
    expect(stock.reserved).toBe(150);
  });

  it('three workers with a schedule every second: one run per tick, not three', async () => {
    const workers = await Promise.all([1, 2, 3].map(() => f.startWorker({ BROKERING_SWEEP_CRON: EVERY_SECOND })));
    const queue = new Queue('brokering', { connection: { host: '127.0.0.1', port: redis.port }, prefix: queuePrefix });
    try {
      const sweeps = async () =>
        (await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter((job) => job.name === 'brokering-sweep');
      const before = new Set((await sweeps()).map((job) => job.id));
      const started = Date.now();
      const runs = await eventually(async () => {
        const since = (await sweeps()).filter((job) => !before.has(job.id));
        return since.length >= TICKS ? since : undefined;
      }, `${TICKS} schedule runs`);
      const seconds = (Date.now() - started) / 1000;
      expect(runs.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
      expect(runs.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(workers.every((worker) => worker.child.exitCode === null)).toBe(true);
    } finally {
      await queue.close();
    }
  });

  it('SIGTERM: readiness 503 at once, active work finished or released, exit 0', async () => {
    const worker = await f.startWorker({ SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });
    worker.signal('SIGTERM');
    const signalledAt = Date.now();
    await eventually(async () => {
      const ready = await fetch(`${worker.url}/health/ready`).then(
        (response) => response.status,
        () => 503,
      );
      return ready === 503 ? true : undefined;
    }, 'readiness 503');
    // At once: within the drain, before the worker may have exited.
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_MS);
    expect(await worker.exited).toBe(0);
  });
});
