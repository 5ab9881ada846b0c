// Load of the Shopify benchmark (bench/shopify-bench.sh): POST /webhooks/shopify/:channel/orders-create
// through the load balancer with autocannon, each body the sample order of test/fixtures/shopify with
// an 18-digit id of its own (replaced in the text, as Shopify's ids never go through a JS number)
// and its X-Shopify-Hmac-Sha256 computed over the exact bytes sent.
//
// env: BENCH_URL (the load balancer), BENCH_CHANNEL, BENCH_SECRET, BENCH_ID_BASE (18 digits; ids are
//      BENCH_ID_BASE + n), BENCH_MODE (new: every request a new order | redelivery: the first
//      BENCH_REDELIVERED ids again, 500 by default), BENCH_DURATION_S (10), BENCH_CONNECTIONS (20).
// Prints one JSON line on stdout: requests, statuses, errors, latency.
const { createHmac } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const autocannon = require('autocannon');

const SAMPLE = readFileSync(join(__dirname, '../test/fixtures/shopify/orders-create.json'), 'utf8');
const SAMPLE_ID = '820982911946154508';
const { BENCH_URL, BENCH_CHANNEL, BENCH_SECRET, BENCH_ID_BASE } = process.env;
const MODE = process.env.BENCH_MODE ?? 'new';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const REDELIVERED = Number(process.env.BENCH_REDELIVERED ?? 500);

let sent = 0;
function signedRequest(request) {
  sent += 1;
  const n = MODE === 'new' ? sent : 1 + (sent % REDELIVERED);
  const body = SAMPLE.replaceAll(SAMPLE_ID, (BigInt(BENCH_ID_BASE) + BigInt(n)).toString());
  const signature = createHmac('sha256', BENCH_SECRET).update(body).digest('base64');
  return { ...request, body, headers: { ...request.headers, 'x-shopify-hmac-sha256': signature } };
}

async function main() {
  if (!BENCH_URL || !BENCH_CHANNEL || !BENCH_SECRET || !/^\d{18}$/.test(BENCH_ID_BASE ?? '')) {
    throw new Error('BENCH_URL, BENCH_CHANNEL, BENCH_SECRET and an 18-digit BENCH_ID_BASE are required');
  }
  if (MODE !== 'new' && MODE !== 'redelivery') throw new Error(`BENCH_MODE must be new or redelivery, not ${MODE}`);
  const result = await autocannon({
    url: BENCH_URL,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        path: `/webhooks/shopify/${BENCH_CHANNEL}/orders-create`,
        headers: { 'content-type': 'application/json' },
        setupRequest: signedRequest,
      },
    ],
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, Number(count)]));
  const durationS = (new Date(result.finish) - new Date(result.start)) / 1000;
  const accepted = statuses['200'] ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      mode: MODE,
      durationS,
      connections: CONNECTIONS,
      requests: result.requests.total,
      accepted,
      acceptedPerS: accepted / durationS,
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      p50: result.latency.p50,
      p99: result.latency.p99,
      bodyBytes: Buffer.byteLength(SAMPLE),
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
