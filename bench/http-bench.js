// Runs autocannon against the bare baselines (Fastify, Nest + Fastify) and against sync-api routes
// in one run, so the ratios between them hold on a noisy shared machine. Usage: node
// bench/http-bench.js (see run.sh and request-path.sh); BENCH_ROWS picks rows by id (default: all).
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
const { Client } = require('pg');

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const { API_URL, API_KEY } = process.env;
const FEED_PAGE = 200;

function startBaseline(script) {
  const child = spawn(process.execPath, [`${__dirname}/${script}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, url: JSON.parse(line).address }));
  });
}

async function load(options) {
  const result = await autocannon({ duration: DURATION_S, connections: CONNECTIONS, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

async function onBaseline(script) {
  const baseline = await startBaseline(script);
  try {
    return await load({ url: baseline.url });
  } finally {
    baseline.child.kill();
  }
}

/** The rows, in the order they run; `run` gets the product and facility the API rows use. */
const ROWS = [
  { id: 'bare-fastify', name: 'bare Fastify handler (baseline)', run: () => onBaseline('bare-fastify.js') },
  { id: 'bare-nest', name: 'bare Nest + Fastify handler', run: () => onBaseline('bare-nest.js') },
  { id: 'health', name: 'sync-api GET /health/live', run: () => load({ url: `${API_URL}/health/live` }) },
  {
    id: 'product',
    name: 'sync-api GET /api/v1/products/:id',
    run: ({ auth, product }) => load({ url: `${API_URL}/api/v1/products/${product.id}`, headers: auth }),
  },
  {
    id: 'product-uncached',
    name: 'sync-api GET /api/v1/products/:id, cache off (CACHE_ENABLED=false)',
    run: ({ auth, product }) => load({ url: `${process.env.UNCACHED_API_URL}/api/v1/products/${product.id}`, headers: auth }),
  },
  {
    id: 'products-page',
    name: 'sync-api GET /api/v1/products?limit=50 (primary)',
    run: ({ auth }) => load({ url: `${API_URL}/api/v1/products?limit=50`, headers: auth }),
  },
  {
    id: 'adjustment',
    name: 'sync-api POST /api/v1/inventory/adjustments',
    run: ({ auth, product }) =>
      load({
        url: `${API_URL}/api/v1/inventory/adjustments`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ facilityId: process.env.BENCH_FACILITY_ID, productId: product.id, delta: 1, reason: 'bench' }),
      }),
  },
  {
    id: 'order',
    name: 'sync-api POST /api/v1/orders (1 line, no idempotency key)',
    run: ({ auth, product }) =>
      load({
        url: `${API_URL}/api/v1/orders`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: { email: 'bench@example.com' },
          shippingAddress: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US', latitude: 40.75, longitude: -73.99 },
          items: [{ productId: product.id, quantity: 1 }],
        }),
      }),
  },
  {
    id: 'channel-availability',
    name: 'sync-api GET /api/v1/channels/:code/availability?productId= (cached)',
    run: ({ auth, product, channel }) => load({ url: `${API_URL}/api/v1/channels/${channel}/availability?productId=${product.id}`, headers: auth }),
  },
  {
    id: 'channel-feed',
    name: `sync-api GET /api/v1/channels/:code/availability/changes?limit=${FEED_PAGE} (x${FEED_PAGE} = changes/s)`,
    run: ({ auth, channel }) => load({ url: `${API_URL}/api/v1/channels/${channel}/availability/changes?limit=${FEED_PAGE}`, headers: auth }),
  },
  { id: 'adjustment-no-feed', name: 'sync-api POST /api/v1/inventory/adjustments, feed triggers off', run: withoutFeed('adjustment') },
  { id: 'order-no-feed', name: 'sync-api POST /api/v1/orders (1 line), feed triggers off', run: withoutFeed('order') },
];

/** The triggers that note what a transaction touched for the availability feed: off, nothing is computed at commit. */
const FEED_TRIGGERS = [
  ['inventory_item', 'inventory_item_availability_insert'],
  ['inventory_item', 'inventory_item_availability_update'],
  ['order_item', 'order_item_availability_insert'],
  ['order_item', 'order_item_availability_update'],
];

/** Runs another row with the feed triggers disabled, then enables them and recomputes every channel's availability. */
function withoutFeed(rowId) {
  return async (context) => {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const toggle = (state) => Promise.all(FEED_TRIGGERS.map(([table, trigger]) => client.query(`ALTER TABLE ${table} ${state} TRIGGER ${trigger}`)));
    try {
      await toggle('DISABLE');
      return await ROWS.find((row) => row.id === rowId).run(context);
    } finally {
      await toggle('ENABLE');
      await client.query('SELECT availability_publish(NULL, NULL)');
      await client.end();
    }
  };
}

/** The channel the channel rows read: the first one (every API key's channel is one). */
async function firstChannel() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT code FROM sales_channel ORDER BY code LIMIT 1')).rows[0].code;
  } finally {
    await client.end();
  }
}

async function main() {
  // The uncached row needs a second sync-api (request-path.sh starts one): by default only when it is given.
  const available = ROWS.filter((row) => row.id !== 'product-uncached' || process.env.UNCACHED_API_URL);
  const wanted = process.env.BENCH_ROWS?.split(',') ?? available.map((row) => row.id);
  const unknown = wanted.filter((id) => !ROWS.some((row) => row.id === id));
  if (unknown.length > 0) throw new Error(`unknown BENCH_ROWS: ${unknown.join(', ')}`);
  const auth = { authorization: `Bearer ${API_KEY}` };
  const [product] = (await (await fetch(`${API_URL}/api/v1/products?limit=1`, { headers: auth })).json()).items;
  const channel = wanted.some((id) => id.startsWith('channel-')) ? await firstChannel() : undefined;
  const results = [];
  for (const row of ROWS.filter((candidate) => wanted.includes(candidate.id))) {
    results.push({ name: row.name, ...(await row.run({ auth, product, channel })) });
  }
  const baseline = results[0].rps;
  process.stdout.write(`\n${DURATION_S}s per row, ${CONNECTIONS} connections; the last column is req/s over the first row's\n\n`);
  process.stdout.write(`| scenario | req/s | p50 ms | p99 ms | errors | vs ${results[0].name} |\n|---|---|---|---|---|---|\n`);
  for (const row of results) {
    process.stdout.write(`| ${row.name} | ${Math.round(row.rps)} | ${row.p50} | ${row.p99} | ${row.errors} | ${(row.rps / baseline).toFixed(2)} |\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
