// The routing engine alone (bench/routing-bench.sh): the CPU time (process.cpuUsage, user + system)
// brokering spends per order in routingInput, routeOrders and brokeringChanges (dist/libs/data), with
// no database in between, for each group named. The orders, their items, the facilities with their groups and limits, the stock
// and each group (GET /internal/routing/groups/:id, as the engine reads it) are read once from the
// seed database; then every order is routed as one worker's sweep would, in batches of
// BROKERING_BATCH_SIZE oldest first, each batch's reservations and order counts taken off before
// the next. Each group routes all orders BENCH_ENGINE_REPEATS times, the groups taking turns; the
// median repeat counts. Prints one Markdown table.
// Usage: DATABASE_URL=... BENCH_INTERNAL_URL=... ADMIN_TOKEN=... BENCH_GROUPS="name=<uuid>;..."
//        BENCH_ENGINE_REPEATS=5 BROKERING_TZ=UTC node bench/routing-engine-bench.js
const { Client } = require('pg');
const { BrokeringRepository } = require('../dist/libs/data/src/brokering/brokering.repository');
const { routingInput, brokeringChanges, isRoutedNow } = require('../dist/libs/data/src/brokering/brokering-changes');
const { routeOrders } = require('../dist/libs/data/src/routing/routing-engine');
const { RoutingFacilitiesRepository } = require('../dist/libs/data/src/routing/routing-facilities.repository');
const { todayIn } = require('../dist/libs/data/src/routing/today');
const { BROKERING_BATCH_SIZE } = require('../dist/libs/jobs/src/outbox-jobs');

const GROUPS = (process.env.BENCH_GROUPS ?? '').split(';').map((entry) => {
  const at = entry.lastIndexOf('=');
  return { name: entry.slice(0, at), id: entry.slice(at + 1), runs: [] };
});
const REPEATS = Number(process.env.BENCH_ENGINE_REPEATS ?? 5);
const TIMEOUT_MS = 10_000;

async function group(id) {
  const response = await fetch(`${process.env.BENCH_INTERNAL_URL}/internal/routing/groups/${id}`, {
    headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status !== 200) throw new Error(`GET group ${id}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** CPU milliseconds of this process since `from` (a process.cpuUsage()): unlike wall time, not inflated when other work on the machine takes the core. */
const ms = (from) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
};

/** Routes every order once by `routingGroup`, batch by batch, timing the three steps. */
function routeAll(routingGroup, data) {
  const stock = new Map(data.stock.map((level) => [`${level.facilityId}|${level.productId}`, level.availableToPromise]));
  const remaining = new Map(data.limits.map((row) => [row.id, row.limit]));
  const timing = { input: 0, engine: 0, changes: 0, allocated: 0, unfilled: 0 };
  const today = todayIn(process.env.BROKERING_TZ ?? 'UTC');
  for (let at = 0; at < data.orders.length; at += BROKERING_BATCH_SIZE) {
    const orders = data.orders.slice(at, at + BROKERING_BATCH_SIZE);
    const ids = new Set(orders.map((order) => order.id));
    const items = data.items.filter((item) => ids.has(item.orderId));
    const products = new Set(items.map((item) => item.productId));
    // As readShippableStock returns it: the batch's products, rows with something to allocate.
    const levels = data.stock
      .filter((level) => products.has(level.productId))
      .map((level) => ({ ...level, availableToPromise: stock.get(`${level.facilityId}|${level.productId}`) }))
      .filter((level) => level.availableToPromise > 0);
    const facilities = data.facilities.map((facility) => ({ ...facility, remainingCapacity: remaining.get(facility.id) ?? null }));

    let t = process.cpuUsage();
    const input = routingInput(orders, items, isRoutedNow, { group: routingGroup, facilities, stock: levels, rejections: new Map(), today });
    timing.input += ms(t);
    t = process.cpuUsage();
    const plan = routeOrders(input);
    timing.engine += ms(t);
    t = process.cpuUsage();
    brokeringChanges(orders, items, plan, routingGroup.id, new Date());
    timing.changes += ms(t);

    for (const reservation of plan.reservations) {
      const key = `${reservation.facilityId}|${reservation.productId}`;
      stock.set(key, stock.get(key) - reservation.quantity);
    }
    for (const use of plan.capacity) {
      const left = remaining.get(use.facilityId);
      if (left !== null && left !== undefined) remaining.set(use.facilityId, Math.max(0, left - use.orders));
    }
    for (const routed of plan.orders) {
      timing.allocated += routed.allocations.length;
      timing.unfilled += routed.unfilled.length;
    }
  }
  return timing;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  if (!process.env.DATABASE_URL || GROUPS.some((entry) => !entry.name || !entry.id)) {
    throw new Error('usage: DATABASE_URL=... BENCH_INTERNAL_URL=... ADMIN_TOKEN=... BENCH_GROUPS="name=id;..." node bench/routing-engine-bench.js');
  }
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const db = { query: async (sql, params) => (await client.query(sql, params)).rows };
  const repository = new BrokeringRepository();
  let data;
  try {
    const orderIds = (await db.query("SELECT id FROM sales_order WHERE status = 'APPROVED' ORDER BY created_at, id")).map((row) => row.id);
    const items = await repository.readItems(db, orderIds);
    data = {
      orders: await repository.readOrders(db, orderIds),
      items,
      stock: await repository.readShippableStock(db, [...new Set(items.map((item) => item.productId))]),
      facilities: await new RoutingFacilitiesRepository().read(db),
      limits: await db.query('SELECT id, maximum_orders_per_day AS "limit" FROM facility'),
    };
  } finally {
    await client.end();
  }
  for (const entry of GROUPS) entry.group = await group(entry.id);

  for (let repeat = 0; repeat < REPEATS; repeat++) for (const entry of GROUPS) entry.runs.push(routeAll(entry.group, data));

  const n = data.orders.length;
  const us = (value) => ((1000 * value) / n).toFixed(1);
  const lines = [
    '| group, engine alone | orders | routeOrders CPU µs per order | routingInput CPU µs per order | brokeringChanges CPU µs per order | items allocated / unfilled | engine vs the first group |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const first = median(GROUPS[0].runs.map((run) => run.engine));
  for (const entry of GROUPS) {
    const engine = median(entry.runs.map((run) => run.engine));
    const { allocated, unfilled } = entry.runs[0];
    lines.push(
      `| ${entry.name} | ${n} | ${us(engine)} | ${us(median(entry.runs.map((run) => run.input)))} | ${us(median(entry.runs.map((run) => run.changes)))} | ${allocated} / ${unfilled} | ${(engine / first).toFixed(2)}x |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
