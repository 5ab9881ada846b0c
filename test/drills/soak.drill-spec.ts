import { setTimeout as sleep } from 'node:timers/promises';
import { reportTraffic, writeRunReport } from '../support/drill-report';
import { DrillStack, startDrillStack } from '../support/drill-stack';
import { withClient } from '../support/test-databases';
import { isRetrySafe, trafficFigures } from '../support/traffic';

/** How long the traffic runs: a minute in npm test, which must stay fast; `npm run test:soak` holds it far longer. */
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** Long enough for BullMQ to hand the killed worker's jobs to the other one (their 60 s lock expires) and for it to finish. */
const SETTLE_MS = 150_000;
/** The traffic, the settling and the checks after it. */
const TEST_TIMEOUT_MS = SOAK_SECONDS * 1000 + SETTLE_MS + 120_000;

/**
 * Load held: mixed traffic (product and availability reads, order reads, inventory lists, order
 * creation, cancellations, restocks, rejections, picklists, pack and ship, returns received with
 * restock) through HAProxy to two sync-api instances and two workers for
 * SOAK_SECONDS, with one worker killed (SIGKILL) a third of the way in and a sync-api crashed and
 * started again two thirds of the way in. Reports requests served, errors and latency (also in
 * .run/soak-report.json), then checks that every order is accounted for, no reservation is orphaned
 * and every inventory row equals its ledger.
 */
describe(`soak: ${SOAK_SECONDS} s of mixed traffic through HAProxy, a worker killed and a sync-api restarted`, () => {
  let stack: DrillStack;

  beforeAll(async () => {
    stack = await startDrillStack({ prefix: 'soak', syncApis: 2, workers: 2, haproxy: true, catalog: { products: 8, facilities: 3, stock: 150 } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it(
    'serves the traffic, retries what failed during the restart, and leaves every invariant holding',
    async () => {
      const events: { at: number; event: string }[] = [];
      const startedAt = Date.now();
      const mark = (event: string) => events.push({ at: Date.now() - startedAt, event });
      const traffic = stack
        .traffic({
          concurrency: 8,
          mix: {
            product: 4,
            availability: 4,
            orderRead: 2,
            list: 1,
            order: 4,
            cancel: 1,
            stock: 1,
            reject: 1,
            picklist: 1,
            ship: 1,
            return: 1,
            supply: 1,
            transfer: 1,
          },
          retry: true,
          retryForMs: 60_000,
        })
        .start();

      await sleep((SOAK_SECONDS * 1000) / 3);
      stack.workers[0].signal('SIGKILL');
      await stack.workers[0].exited;
      mark('async-worker-1 killed (SIGKILL)');

      await sleep(startedAt + (SOAK_SECONDS * 2000) / 3 - Date.now());
      const failuresBeforeRestart = traffic.failuresSoFar;
      mark('sync-api-1 killed (SIGKILL), started again on its port');
      await stack.replaceApi(0, 'SIGKILL');
      mark('sync-api-1 back in HAProxy');
      const failuresDuringRestart = traffic.failuresSoFar - failuresBeforeRestart;

      await sleep(Math.max(0, startedAt + SOAK_SECONDS * 1000 - Date.now()));
      const report = await traffic.stop();
      mark('traffic stopped');

      let settled = false;
      try {
        await stack.verify(report, SETTLE_MS);
        settled = true;
      } finally {
        mark(settled ? 'settled: every invariant holds' : 'invariants broken (see the test failure)');
        const orders = await withClient(stack.databaseUrl, async (client) => {
          const { rows } = await client.query<{ status: string; count: number }>(
            'SELECT status, count(*)::int AS count FROM sales_order GROUP BY status ORDER BY status',
          );
          return Object.fromEntries(rows.map((row) => [row.status, row.count]));
        });
        const path = writeRunReport('soak-report.json', {
          soakSeconds: SOAK_SECONDS,
          topology: '2 sync-api behind HAProxy, 2 async-worker (one killed)',
          ...trafficFigures(report),
          failedAttemptsDuringRestart: failuresDuringRestart,
          requestsPerSecond: Math.round(report.requests / report.seconds),
          ordersByStatus: orders,
          events,
          invariantsHold: settled,
        });
        reportTraffic('soak', report, {
          'requests/s': Math.round(report.requests / report.seconds),
          'failed attempts during the sync-api restart': failuresDuringRestart,
          'orders by status': JSON.stringify(orders),
          report: path,
        });
      }

      expect(report.failedForGood.filter((failure) => isRetrySafe(failure.operation))).toEqual([]);
      // What a restart or a killed process explains is a lost connection or the balancer's 502/503/504; an
      // unexpected status (a 500, a 4xx the call should not get) or a client that misread an answer is a fault.
      expect(
        report.failedAttempts.filter(
          (failure) => !/^(SocketError|HTTP 50[234]\b|Error: (connect|read|write) E|Error: socket hang up)/.test(failure.outcome),
        ),
      ).toEqual([]);
      expect(report.served).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
