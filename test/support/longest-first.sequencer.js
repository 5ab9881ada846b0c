// @ts-check
const Sequencer = require('@jest/test-sequencer').default;
const { relative } = require('node:path');

/**
 * Seconds each long suite took in a full `npm test` (on the 2-core machine, under load), so that a
 * fresh clone, which has no timings of its own yet, still starts the longest suites first: the two
 * workers then finish together instead of one waiting for a long suite started last. Suites not
 * listed (all shorter) follow, and Jest's own timings win once it has them.
 */
const LONG_SUITE_SECONDS = {
  'test/e2e/stack-signals.e2e-spec.ts': 124,
  'test/drills/postgres.drill-spec.ts': 112,
  'test/drills/soak.drill-spec.ts': 97,
  'test/drills/failover.drill-spec.ts': 90,
  'test/e2e/health.e2e-spec.ts': 76,
  'test/e2e/replica-reads.e2e-spec.ts': 69,
  'test/drills/sigterm.drill-spec.ts': 65,
  'test/drills/sync-api-kill.drill-spec.ts': 60,
  'test/e2e/shutdown.e2e-spec.ts': 58,
  'test/e2e/primary-down.e2e-spec.ts': 52,
  'test/e2e/config.e2e-spec.ts': 46,
  'test/e2e/worker-resilience.e2e-spec.ts': 42,
  'test/e2e/webhooks-out.e2e-spec.ts': 45,
  'test/drills/worker-kill.drill-spec.ts': 40,
  'test/e2e/fuzz.e2e-spec.ts': 40,
  'test/e2e/http-timeouts.e2e-spec.ts': 40,
  'test/e2e/lock-order.e2e-spec.ts': 33,
  'test/e2e/reports-dashboard.e2e-spec.ts': 27,
  'test/e2e/cache-redis-down.e2e-spec.ts': 27,
  'libs/warehouse/src/etl/etl.int-spec.ts': 26,
  'test/e2e/tracing.e2e-spec.ts': 26,
  'test/e2e/rate-limit-redis-down.e2e-spec.ts': 26,
  'test/e2e/routing.e2e-spec.ts': 30,
  'test/e2e/brokering.e2e-spec.ts': 25,
  'test/e2e/item-cancel.e2e-spec.ts': 25,
  'test/e2e/pickup.e2e-spec.ts': 32,
  'test/e2e/order-holds.e2e-spec.ts': 20,
  'test/e2e/fulfilment.e2e-spec.ts': 21,
  'test/e2e/returns.e2e-spec.ts': 25,
  'libs/data/src/returns/returns.int-spec.ts': 10,
  'test/e2e/haproxy.e2e-spec.ts': 23,
  'test/drills/redis.drill-spec.ts': 22,
  'libs/data/src/routing/simulate-then-broker.int-spec.ts': 20,
  'libs/data/src/routing/routing-rules.int-spec.ts': 10,
};

class LongestFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const byJest = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    if (tests.some((test) => test.duration != null)) return byJest;
    const seconds = (/** @type {import('@jest/test-result').Test} */ test) =>
      LONG_SUITE_SECONDS[relative(test.context.config.rootDir, test.path)] ?? 0;
    return [...byJest].sort((a, b) => seconds(b) - seconds(a));
  }
}

module.exports = LongestFirstSequencer;
