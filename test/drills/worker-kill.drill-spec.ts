import { reportTraffic } from '../support/drill-report';
import { DrillStack, startDrillStack } from '../support/drill-stack';
import { eventually } from '../support/http';
import { pendingWork } from '../support/invariants';
import { withClient } from '../support/test-databases';

/** The replacement sweeps for orders the dead worker left behind (the default is every 5 minutes). */
const SWEEP_EVERY_2_SECONDS = '*/2 * * * * *';
/** Orders created while no worker runs, then orders brokered by the replacement while the traffic goes on. */
const ORDERS_WHILE_DOWN = 50;
const ORDERS_BROKERED_AFTER = 50;

function brokeredOrders(databaseUrl: string): Promise<number> {
  return withClient(
    databaseUrl,
    async (client) =>
      (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales_order WHERE status NOT IN ('CREATED', 'APPROVED')`)).rows[0].n,
  );
}

/**
 * Invariant 2 of docs/architecture.md (no lost work) with a worker that dies hard while it brokers a stream of
 * orders: the transaction it was in rolls back, and another worker brokers every order exactly once.
 */
describe('drill: an async-worker killed with SIGKILL mid-batch, another started', () => {
  let stack: DrillStack;

  beforeAll(async () => {
    // Stock for every order the traffic can create, however fast: each item must be allocated (and reserved exactly once).
    stack = await startDrillStack({
      prefix: 'drill_worker_kill',
      syncApis: 1,
      workers: 1,
      catalog: { products: 4, facilities: 2, stock: 1_000_000 },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('every order is brokered exactly once, with no double reservation', async () => {
    const traffic = stack.traffic({ concurrency: 6, mix: { order: 4, availability: 1 }, retry: true }).start();
    // Mid-batch: brokering is under way and orders are waiting for it.
    await eventually(
      async () => {
        const { waitingOrders } = await pendingWork(stack.databaseUrl);
        return traffic.ordersAcknowledged > 100 && waitingOrders > 0;
      },
      60_000,
      20,
    );
    const doomed = stack.workers[0];
    doomed.signal('SIGKILL');
    await doomed.exited;
    const atKill = await pendingWork(stack.databaseUrl);
    const acknowledgedAtKill = traffic.ordersAcknowledged;
    await eventually(async () => traffic.ordersAcknowledged >= acknowledgedAtKill + ORDERS_WHILE_DOWN, 60_000, 50);
    const brokeredBefore = await brokeredOrders(stack.databaseUrl);
    await stack.startWorker({ BROKERING_SWEEP_CRON: SWEEP_EVERY_2_SECONDS });
    await eventually(async () => (await brokeredOrders(stack.databaseUrl)) >= brokeredBefore + ORDERS_BROKERED_AFTER, 60_000, 100);
    const report = await traffic.stop();
    reportTraffic('worker SIGKILL drill', report, { 'orders waiting for brokering at the kill': atKill.waitingOrders });

    expect(report.failedForGood).toEqual([]);
    await stack.verify(report);
    // Exactly once: each item has one reservation in the ledger, made by brokering (no worker reserved it twice).
    const reservedTwice = await withClient(stack.databaseUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT order_id, product_id, i.items, COALESCE(l.reservations, 0) AS reservations
           FROM (SELECT order_id, product_id, count(*) AS items FROM order_item GROUP BY order_id, product_id) i
           LEFT JOIN (SELECT order_id, product_id, count(*) AS reservations FROM inventory_ledger
                       WHERE reserved_delta > 0 GROUP BY order_id, product_id) l USING (order_id, product_id)
          WHERE i.items <> COALESCE(l.reservations, 0)`,
      );
      return rows;
    });
    expect(reservedTwice).toEqual([]);
  });
});
