// Requests of the inbound supply benchmark (bench/supply-bench.sh): per round, a product with
// BENCH_WAITING backordered one-unit orders and a product with none, at a new facility; a purchase
// order of BENCH_WAITING units of each, then a receipt of all of it, each request timed. Checks
// that every waiting order was promised, then allocated, by the requests themselves.
//
// env: API_URL, API_KEY, DATABASE_URL, BENCH_API_PID (sync-api, for its CPU time), BENCH_WAITING (2000), BENCH_ROUNDS (3).
// Prints the Markdown table and notes on stdout; progress on stderr.
const fs = require('node:fs');
const { Client } = require('pg');

const WAITING = Number(process.env.BENCH_WAITING ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const { API_URL, API_KEY, DATABASE_URL, BENCH_API_PID } = process.env;
const CLK_TCK = 100;

const log = (line) => process.stderr.write(`[supply-requests] ${line}\n`);
const cpuSeconds = () => {
  const fields = fs.readFileSync(`/proc/${BENCH_API_PID}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};

async function call(method, path, body) {
  const started = performance.now();
  const response = await fetch(`${API_URL}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return { json, ms: performance.now() - started };
}

/** A facility that ships, and two products with no stock: `waited` with WAITING backordered orders, oldest first, and `idle` with none. */
async function setUp(db, round) {
  const facility = (
    await call('POST', '/facilities', {
      code: `SUPPLY-BENCH-${round}-${Date.now()}`,
      name: 'Supply bench DC',
      type: 'WAREHOUSE',
      latitude: 40.7,
      longitude: -74,
    })
  ).json;
  const product = async (name) => (await call('POST', '/products', { sku: `SUPPLY-${name}-${round}-${Date.now()}`, name, price: '10.00' })).json;
  const [waited, idle] = [await product('waited'), await product('idle')];
  await db.query(
    `WITH o AS (
       INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, created_at)
       SELECT 'BACKORDERED', 'bench@example.com', '{"line1":"1 Main St","city":"Newark","postalCode":"07102","country":"US","latitude":40.73,"longitude":-74.17}',
              10, 'bench', now() - make_interval(secs => $2 - n)
         FROM generate_series(1, $2) n RETURNING id)
     INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
     SELECT o.id, 1, p.id, p.sku, 1, 10, 'BACKORDERED', 'BACKORDER' FROM o, product p WHERE p.id = $1`,
    [waited.id, WAITING],
  );
  return { facilityId: facility.id, waited: waited.id, idle: idle.id };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const timings = { poIdle: [], poWaited: [], receiptIdle: [], receiptWaited: [] };
  const cpuBefore = cpuSeconds();
  for (let round = 1; round <= ROUNDS; round += 1) {
    const { facilityId, waited, idle } = await setUp(db, round);
    const purchaseOrder = async (productId) =>
      call('POST', '/purchase-orders', { facilityId, expectedDate: '2030-01-01', items: [{ productId, quantity: WAITING }] });
    const idlePo = await purchaseOrder(idle);
    const waitedPo = await purchaseOrder(waited);
    if (waitedPo.json.items[0].promisedQuantity !== WAITING) throw new Error(`promised ${waitedPo.json.items[0].promisedQuantity} of ${WAITING}`);
    const receive = async (po, productId) => call('POST', `/purchase-orders/${po.json.id}/receipts`, { items: [{ productId, quantity: WAITING }] });
    const idleReceipt = await receive(idlePo, idle);
    const waitedReceipt = await receive(waitedPo, waited);
    const { rows } = await db.query(`SELECT count(*) FILTER (WHERE status = 'ALLOCATED')::int AS allocated FROM order_item WHERE product_id = $1`, [
      waited,
    ]);
    if (rows[0].allocated !== WAITING) throw new Error(`the receipt allocated ${rows[0].allocated} of ${WAITING} waiting orders`);
    timings.poIdle.push(idlePo.ms);
    timings.poWaited.push(waitedPo.ms);
    timings.receiptIdle.push(idleReceipt.ms);
    timings.receiptWaited.push(waitedReceipt.ms);
    log(
      `round ${round}: PO ${idlePo.ms.toFixed(0)} / ${waitedPo.ms.toFixed(0)} ms, receipt ${idleReceipt.ms.toFixed(0)} / ${waitedReceipt.ms.toFixed(0)} ms`,
    );
  }
  const cpu = cpuSeconds() - cpuBefore;
  await db.end();
  const m = Object.fromEntries(Object.entries(timings).map(([name, values]) => [name, median(values)]));
  const perOrder = (waitedMs, idleMs) => (((waitedMs - idleMs) / WAITING) * 1000).toFixed(0);
  process.stdout.write(`
| request (median of ${ROUNDS}) | nothing waits, ms | ${WAITING} orders wait, ms | ratio | per waiting order, µs |
| --- | --- | --- | --- | --- |
| POST /purchase-orders (promises every waiting line) | ${m.poIdle.toFixed(0)} | ${m.poWaited.toFixed(0)} | ${(m.poWaited / m.poIdle).toFixed(1)} | ${perOrder(m.poWaited, m.poIdle)} |
| POST /purchase-orders/:id/receipts (routes every backorder before answering) | ${m.receiptIdle.toFixed(0)} | ${m.receiptWaited.toFixed(0)} | ${(m.receiptWaited / m.receiptIdle).toFixed(1)} | ${perOrder(m.receiptWaited, m.receiptIdle)} |

- every round: all ${WAITING} waiting orders promised by the purchase order's request and ALLOCATED by the receipt's (checked in SQL)
- sync-api CPU over the ${ROUNDS} rounds: ${cpu.toFixed(1)} s; one sync-api, no worker, no replica\n`);
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
