// Load of the fulfilment benchmark (bench/fulfilment-bench.sh): picklists, one-step and two-step
// pack and ship, and two baselines (a bare Fastify handler, GET /api/v1/orders/:id), all through the
// one HTTP client below, so that their ratios compare the server and not two clients. The work rows
// are fixed lists, not timed loads: every picker takes picklists until the facility has no item
// left to pick (409), every order is packed and shipped exactly once; the baselines run for
// BENCH_GET_S seconds, before and after the work rows.
//
// env: API_URL, API_KEY, BENCH_API_PID (sync-api, for its CPU time), BENCH_FACILITIES (JSON: code -> id),
//      BENCH_PICK_ITEMS (JSON: code -> items allocated there, the picklist facilities),
//      BENCH_ORDERS_DIR (a file per other facility code, a line per order: "orderId itemId,itemId"),
//      BENCH_PICK_LIMIT (20), BENCH_PICKERS (4), BENCH_CONNECTIONS (8), BENCH_GET_S (5).
// Prints the Markdown table and notes on stdout; progress on stderr.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');

const PICK_LIMIT = Number(process.env.BENCH_PICK_LIMIT ?? 20);
const PICKERS = Number(process.env.BENCH_PICKERS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const GET_S = Number(process.env.BENCH_GET_S ?? 5);
const { API_URL, API_KEY, BENCH_API_PID, BENCH_ORDERS_DIR } = process.env;
const FACILITIES = JSON.parse(process.env.BENCH_FACILITIES ?? '{}');
const PICK_ITEMS = JSON.parse(process.env.BENCH_PICK_ITEMS ?? '{}');
const CLK_TCK = 100;

const log = (line) => process.stderr.write(`[fulfilment-load] ${line}\n`);

/** A keep-alive client of one origin with at most `connections` sockets; resolves status, JSON body and ms. */
function client(baseUrl, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  const auth = { authorization: `Bearer ${API_KEY}` };
  return (method, requestPath, body) =>
    new Promise((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = payload === undefined ? auth : { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
      const started = process.hrtime.bigint();
      const done = (status, text) => {
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status, body: json, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      };
      const request = http.request({ agent, hostname, port, method, path: requestPath, headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => done(response.statusCode, Buffer.concat(chunks).toString()));
        response.on('error', () => done(0, ''));
      });
      request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
      request.on('error', () => done(0, ''));
      request.end(payload);
    });
}

/** CPU seconds of a process (user + system), or undefined. */
function processCpuS(pid) {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine. */
function machineJiffies() {
  const [user, nice, system, idle, iowait, irq, softirq] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, all: user + nice + system + idle + iowait + irq + softirq };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Runs `workers` copies of `work(stats)` at once and measures them: wall time to the last one done,
 * the sync-api's CPU and how busy the machine was meanwhile. `work` records each unit's latency
 * (a picklist, an order, a GET) in stats.latencies, items in stats.items, anything unexpected in
 * stats.errors (by status).
 */
async function measure(workers, work) {
  const stats = { latencies: [], items: 0, requests: 0, errors: {} };
  const cpuBefore = processCpuS(BENCH_API_PID);
  const machineBefore = machineJiffies();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, (_, worker) => work(stats, worker)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const machineAfter = machineJiffies();
  const cpuAfter = processCpuS(BENCH_API_PID);
  const sorted = stats.latencies.sort((a, b) => a - b);
  return {
    workers,
    seconds,
    units: sorted.length,
    items: stats.items,
    requests: stats.requests,
    errors: Object.values(stats.errors).reduce((sum, n) => sum + n, 0),
    errorStatuses: stats.errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    apiCpuS: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    busy: (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.all - machineBefore.all),
  };
}

function fail(stats, status) {
  stats.errors[status] = (stats.errors[status] ?? 0) + 1;
}

/** Every worker sends `request()` until `seconds` have passed; every 200 counts. */
function forSeconds(seconds, request) {
  return async (stats, worker) => {
    const deadline = Date.now() + seconds * 1000;
    for (let n = worker; Date.now() < deadline; n += CONNECTIONS) {
      const response = await request(n);
      stats.requests += 1;
      if (response.status === 200) stats.latencies.push(response.ms);
      else fail(stats, response.status);
    }
  };
}

/** Every worker takes the next order of the list until none is left; `ship` packs and ships one, resolving its item count or an error status. */
function everyOrder(orders, ship) {
  let next = 0;
  return async (stats) => {
    while (next < orders.length) {
      const order = orders[next++];
      const started = process.hrtime.bigint();
      const outcome = await ship(order, stats);
      if (outcome.error !== undefined) {
        fail(stats, outcome.error);
        continue;
      }
      stats.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      stats.items += outcome.items;
    }
  };
}

/** One-step: POST /api/v1/orders/:id/fulfillments ships every item the facility holds. */
function shipInOneStep(request, facilityId) {
  return async (order, stats) => {
    const response = await request('POST', `/api/v1/orders/${order.orderId}/fulfillments`, {
      facilityId,
      carrier: 'UPS',
      trackingNumber: `1Z-BENCH-${order.orderId.slice(0, 8)}`,
    });
    stats.requests += 1;
    if (response.status !== 201) return { error: response.status };
    return { items: response.body.shippedItemIds.length };
  };
}

/** Two-step: POST /api/v1/shipments packs the order's items, POST /api/v1/shipments/:id/ship ships them. */
function shipInTwoSteps(request, facilityId) {
  return async (order, stats) => {
    const packed = await request('POST', '/api/v1/shipments', {
      orderId: order.orderId,
      facilityId,
      itemIds: order.itemIds,
      packages: [{ weightGrams: 400 * order.itemIds.length, lengthCm: 30, widthCm: 20, heightCm: 10 }],
    });
    stats.requests += 1;
    if (packed.status !== 201 || packed.body.status !== 'PACKED') return { error: `pack ${packed.status}` };
    const shipped = await request('POST', `/api/v1/shipments/${packed.body.id}/ship`, {
      carrier: 'UPS',
      trackingNumber: `1Z-BENCH-${order.orderId.slice(0, 8)}`,
      service: 'GROUND',
    });
    stats.requests += 1;
    if (shipped.status !== 200 || shipped.body.status !== 'SHIPPED') return { error: `ship ${shipped.status}` };
    return { items: order.itemIds.length };
  };
}

/** Pickers take picklists at the facility until it has nothing left to pick (409); every item taken goes into `taken`. */
function pickEverything(request, facilityId, taken) {
  return async (stats) => {
    for (;;) {
      const response = await request('POST', `/api/v1/facilities/${facilityId}/picklists`, { limit: PICK_LIMIT });
      stats.requests += 1;
      if (response.status === 409) return;
      if (response.status !== 201) {
        fail(stats, response.status);
        if (response.status === 0) return;
        continue;
      }
      stats.latencies.push(response.ms);
      stats.items += response.body.items.length;
      for (const item of response.body.items) taken.push(item.itemId);
    }
  };
}

function readOrders(code) {
  return fs
    .readFileSync(path.join(BENCH_ORDERS_DIR, code), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [orderId, items] = line.split(' ');
      return { orderId, itemIds: items.split(',') };
    });
}

function startBareFastify() {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-fastify.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, url: JSON.parse(line).address }));
  });
}

/** The picklist rows: one check line each, that the pickers got disjoint items and all of them. */
async function picklists(request, code, pickers, checks) {
  const taken = [];
  log(`picklists at ${code}: ${pickers} picker(s), limit ${PICK_LIMIT}, until none is left`);
  const result = await measure(pickers, pickEverything(request, FACILITIES[code], taken));
  const distinct = new Set(taken).size;
  const expected = PICK_ITEMS[code];
  const ok = distinct === taken.length && taken.length === expected;
  checks.push(
    `${code}, ${pickers} picker(s): ${taken.length} items on ${result.units} picklists, ${distinct} distinct, ${expected} allocated there before: ${ok ? 'disjoint and complete' : 'MISMATCH'}`,
  );
  if (!ok) log(`WARNING: ${checks.at(-1)}`);
  return result;
}

async function main() {
  if (!API_URL || !API_KEY || !BENCH_ORDERS_DIR) throw new Error('API_URL, API_KEY and BENCH_ORDERS_DIR are required');
  const request = client(API_URL, Math.max(CONNECTIONS, PICKERS));
  const shipOne = readOrders('FUL-SHIP-1');
  const shipTwo = readOrders('FUL-SHIP-2');
  const warmup = readOrders('FUL-WARMUP');
  const readable = [...shipOne, ...shipTwo].map((order) => order.orderId);
  const getOrder = (n) => request('GET', `/api/v1/orders/${readable[n % readable.length]}`);
  const checks = [];

  // Warm-up, not measured: every route of the run on the warm-up facility's orders, and reads.
  log(`warm-up: picklists, one-step and two-step pack and ship of ${warmup.length} orders, ${GET_S} s of GET`);
  const half = Math.ceil(warmup.length / 2);
  await measure(2, pickEverything(request, FACILITIES['FUL-WARMUP'], []));
  await measure(CONNECTIONS, everyOrder(warmup.slice(0, half), shipInOneStep(request, FACILITIES['FUL-WARMUP'])));
  await measure(CONNECTIONS, everyOrder(warmup.slice(half), shipInTwoSteps(request, FACILITIES['FUL-WARMUP'])));
  await measure(CONNECTIONS, forSeconds(GET_S, getOrder));

  const bare = await startBareFastify();
  const bareRequest = client(bare.url, CONNECTIONS);
  let bareRow;
  try {
    log(`bare Fastify handler: ${CONNECTIONS} connections, ${GET_S} s`);
    bareRow = await measure(
      CONNECTIONS,
      forSeconds(GET_S, () => bareRequest('GET', '/')),
    );
  } finally {
    bare.child.kill();
  }
  log(`GET /api/v1/orders/:id: ${CONNECTIONS} connections, ${GET_S} s`);
  const getBefore = await measure(CONNECTIONS, forSeconds(GET_S, getOrder));
  const pickOne = await picklists(request, 'FUL-PICK-1', 1, checks);
  const pickSeveral = await picklists(request, 'FUL-PICK-N', PICKERS, checks);
  log(`one-step pack and ship of ${shipOne.length} orders, ${CONNECTIONS} connections`);
  const oneStep = await measure(CONNECTIONS, everyOrder(shipOne, shipInOneStep(request, FACILITIES['FUL-SHIP-1'])));
  log(`two-step pack and ship of ${shipTwo.length} orders, ${CONNECTIONS} connections`);
  const twoSteps = await measure(CONNECTIONS, everyOrder(shipTwo, shipInTwoSteps(request, FACILITIES['FUL-SHIP-2'])));
  log(`GET /api/v1/orders/:id again: ${CONNECTIONS} connections, ${GET_S} s`);
  const getAfter = await measure(CONNECTIONS, forSeconds(GET_S, getOrder));

  const rows = [
    { name: 'bare Fastify handler (not sync-api)', unit: 'requests', onApi: false, ...bareRow },
    { name: 'GET /api/v1/orders/:id, before', unit: 'requests', ...getBefore },
    { name: `POST /facilities/:id/picklists {"limit":${PICK_LIMIT}}, 1 picker`, unit: 'picklists', ...pickOne },
    { name: `POST /facilities/:id/picklists {"limit":${PICK_LIMIT}}, ${PICKERS} pickers`, unit: 'picklists', ...pickSeveral },
    { name: 'pack and ship, one step: POST /orders/:id/fulfillments', unit: 'orders', ...oneStep },
    { name: 'pack and ship, two steps: POST /shipments, POST /shipments/:id/ship', unit: 'orders', ...twoSteps },
    { name: 'GET /api/v1/orders/:id, after', unit: 'requests', ...getAfter },
  ];
  const rate = (row) => row.units / row.seconds;
  // The baseline: the mean of the two GET rows, so that a drift of the shared machine over the run falls on it as well.
  const baseline = (rate(getBefore) + rate(getAfter)) / 2;
  const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '');
  const out = [
    '',
    '| scenario | concurrency | done | per s | items/s | requests/s | p50 ms | p99 ms | errors | sync-api CPU ms per unit | machine busy | per s vs GET /api/v1/orders/:id |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const cpuPerUnit = row.onApi === false || row.apiCpuS === undefined ? '' : fixed((row.apiCpuS * 1000) / row.units, 2);
    const cells = [
      row.name,
      row.workers,
      `${row.units} ${row.unit}`,
      Math.round(rate(row)),
      row.items ? Math.round(row.items / row.seconds) : '',
      Math.round(row.requests / row.seconds),
      fixed(row.p50, 1),
      fixed(row.p99, 1),
      row.errors,
      cpuPerUnit,
      `${Math.round(row.busy * 100)}%`,
      fixed(rate(row) / baseline, 3),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push(
    '',
    `- per s: picklists, orders or requests per second over the row's wall time (first request to last answer); p50/p99 of a picklist, of an order (both requests of the two-step form) or of a GET; the last column is over the mean of the two GET rows (${Math.round(baseline)}/s)`,
    `- ratios in this run: two-step / one-step pack and ship ${fixed(rate(twoSteps) / rate(oneStep), 3)}; ${PICKERS} pickers / 1 picker ${fixed(rate(pickSeveral) / rate(pickOne), 3)}; GET after / before ${fixed(rate(getAfter) / rate(getBefore), 3)}`,
    ...checks.map((check) => `- picklists, ${check}`),
  );
  for (const row of rows.filter((candidate) => candidate.errors > 0)) out.push(`- errors, ${row.name}: ${JSON.stringify(row.errorStatuses)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
