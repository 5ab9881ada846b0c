// Runs autocannon against a bare Fastify handler and against sync-api routes in one run, so the
// ratios between them hold on a noisy shared machine. Usage: node bench/http-bench.js (see run.sh).
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const { API_URL, API_KEY } = process.env;

function startBareFastify() {
  const child = spawn(process.execPath, [`${__dirname}/bare-fastify.js`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, url: JSON.parse(line).address }));
  });
}

async function run(name, options) {
  const result = await autocannon({ duration: DURATION_S, connections: CONNECTIONS, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

async function main() {
  const auth = { authorization: `Bearer ${API_KEY}` };
  const [product] = (await (await fetch(`${API_URL}/api/v1/products?limit=1`, { headers: auth })).json()).items;
  const bare = await startBareFastify();
  const rows = [];
  try {
    rows.push(await run('bare Fastify handler (baseline)', { url: bare.url }));
    rows.push(await run('sync-api GET /health/live', { url: `${API_URL}/health/live` }));
    rows.push(await run('sync-api GET /api/v1/products/:id (primary)', { url: `${API_URL}/api/v1/products/${product.id}`, headers: auth }));
    rows.push(await run('sync-api GET /api/v1/products?limit=50 (primary)', { url: `${API_URL}/api/v1/products?limit=50`, headers: auth }));
    rows.push(
      await run('sync-api POST /api/v1/inventory/adjustments', {
        url: `${API_URL}/api/v1/inventory/adjustments`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ facilityId: process.env.BENCH_FACILITY_ID, productId: product.id, delta: 1, reason: 'bench' }),
      }),
    );
    rows.push(
      await run('sync-api POST /api/v1/orders (1 line, no idempotency key)', {
        url: `${API_URL}/api/v1/orders`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: { email: 'bench@example.com' },
          shippingAddress: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US', latitude: 40.75, longitude: -73.99 },
          items: [{ productId: product.id, quantity: 1 }],
        }),
      }),
    );
  } finally {
    bare.child.kill();
  }
  const baseline = rows[0].rps;
  process.stdout.write(`\n${DURATION_S}s per row, ${CONNECTIONS} connections\n\n`);
  process.stdout.write('| scenario | req/s | p50 ms | p99 ms | errors | vs bare Fastify |\n|---|---|---|---|---|---|\n');
  for (const row of rows) {
    process.stdout.write(`| ${row.name} | ${Math.round(row.rps)} | ${row.p50} | ${row.p99} | ${row.errors} | ${(row.rps / baseline).toFixed(2)} |\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
