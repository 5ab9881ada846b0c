// Load of the end-to-end brokering benchmark (bench/e2e-brokering-bench.sh): POST /api/v1/orders
// through the load balancer with autocannon, every request a new order of 1-3 lines of distinct
// random products (quantity 1, sometimes 2) shipped to random coordinates in the contiguous US.
// Orders are realistic by default, as sales channels send them: every one with an externalId of
// its own, a quarter with an Idempotency-Key of its own as well. Anonymous orders carry neither.
// Either way every 201 is a new order.
//
// env: BENCH_URL (the load balancer), API_KEY, BENCH_PRODUCT_IDS (comma-separated),
//      BENCH_ORDERS (realistic | anonymous; realistic), BENCH_DURATION_S (15),
//      BENCH_CONNECTIONS (20), BENCH_SEED (14),
//      BENCH_RATE (requests/s over all connections; unset: as fast as they go).
// Prints one JSON line on stdout: requests, 201s, other statuses, errors, latency of the POST.
const autocannon = require('autocannon');

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const { BENCH_URL, API_KEY } = process.env;
const PRODUCT_IDS = (process.env.BENCH_PRODUCT_IDS ?? '').split(',').filter(Boolean);
const ORDERS = process.env.BENCH_ORDERS ?? 'realistic';
// External ids and keys unique across runs on one database: the start time in base 36.
const RUN = Date.now().toString(36);

// mulberry32: a small seeded generator, so two runs send the same sequence of orders.
let seed = Number(process.env.BENCH_SEED ?? 14) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);

let sent = 0;
function orderBody() {
  sent += 1;
  const lines = 1 + pick(3);
  const productIds = new Set();
  while (productIds.size < lines) productIds.add(PRODUCT_IDS[pick(PRODUCT_IDS.length)]);
  return JSON.stringify({
    customer: { email: `e2e+${sent}@example.com` },
    shippingAddress: {
      line1: `${sent} Bench Street`,
      city: 'Benchville',
      postalCode: String(sent % 100000).padStart(5, '0'),
      country: 'US',
      latitude: Number((25 + random() * 23).toFixed(6)),
      longitude: Number((-123 + random() * 52).toFixed(6)),
    },
    items: [...productIds].map((productId) => ({ productId, quantity: random() < 0.25 ? 2 : 1 })),
    ...(ORDERS === 'realistic' ? { externalId: `E2E-${RUN}-${sent}` } : {}),
  });
}

/** The request's body and, for a quarter of the realistic orders, its Idempotency-Key. */
function orderRequest(request) {
  const body = orderBody();
  if (ORDERS !== 'realistic' || sent % 4 !== 0) return { ...request, body };
  return { ...request, body, headers: { ...request.headers, 'idempotency-key': `e2e-${RUN}-${sent}` } };
}

async function main() {
  if (!BENCH_URL || !API_KEY || PRODUCT_IDS.length < 3) throw new Error('BENCH_URL, API_KEY and at least 3 BENCH_PRODUCT_IDS are required');
  if (ORDERS !== 'realistic' && ORDERS !== 'anonymous') throw new Error(`BENCH_ORDERS must be realistic or anonymous, not ${ORDERS}`);
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: BENCH_URL,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(RATE ? { overallRate: RATE } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        setupRequest: orderRequest,
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, Number(count)]));
  const created = statuses['201'] ?? 0;
  const durationS = (new Date(result.finish) - new Date(result.start)) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      orders: ORDERS,
      durationS,
      connections: CONNECTIONS,
      requests: result.requests.total,
      created,
      createdPerS: created / durationS,
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuS: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
