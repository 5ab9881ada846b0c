// The simulator's latency per order (bench/routing-bench.sh): POST /internal/routing/simulate
// {"orderId","groupId"} one request at a time on one keep-alive connection, over stored orders, for
// each group named, the groups taking turns request by request so that a change of load on the
// machine falls on all of them alike. Every answer must be a 200 with a trace. Prints one Markdown
// table: per group, simulations, p50/p99/max/mean ms, simulations per second, and the candidates
// the trace explains per order (every facility, for every rule that ran).
// Usage: BENCH_INTERNAL_URL=http://127.0.0.1:PORT ADMIN_TOKEN=... BENCH_ORDER_IDS_FILE=<one id a line>
//        BENCH_GROUPS="default group=<uuid>;rule set=<uuid>" BENCH_SIMULATIONS=2000 BENCH_WARMUP=200
//        node bench/routing-simulate.js
const { readFileSync } = require('node:fs');
const http = require('node:http');

const BASE = new URL(process.env.BENCH_INTERNAL_URL ?? '');
const TOKEN = process.env.ADMIN_TOKEN;
const ORDER_IDS = process.env.BENCH_ORDER_IDS_FILE ? readFileSync(process.env.BENCH_ORDER_IDS_FILE, 'utf8').split('\n').filter(Boolean) : [];
const GROUPS = (process.env.BENCH_GROUPS ?? '').split(';').map((entry) => {
  const at = entry.lastIndexOf('=');
  return { name: entry.slice(0, at), id: entry.slice(at + 1), ms: [], candidates: 0 };
});
const SIMULATIONS = Number(process.env.BENCH_SIMULATIONS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const TIMEOUT_MS = 10_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function simulate(orderId, groupId) {
  const body = JSON.stringify({ orderId, groupId });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: BASE.hostname,
        port: BASE.port,
        path: '/internal/routing/simulate',
        method: 'POST',
        agent,
        timeout: TIMEOUT_MS,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`simulate ${orderId}: ${response.statusCode} ${text}`));
          const result = JSON.parse(text);
          if (!Array.isArray(result.trace) || result.trace.length === 0) return reject(new Error(`simulate ${orderId}: no trace: ${text}`));
          resolve(result);
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`simulate ${orderId}: no answer in ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  if (!TOKEN || ORDER_IDS.length === 0 || GROUPS.some((group) => !group.name || !group.id)) {
    throw new Error(
      'usage: BENCH_INTERNAL_URL=... ADMIN_TOKEN=... BENCH_ORDER_IDS_FILE=... BENCH_GROUPS="name=id;..." node bench/routing-simulate.js',
    );
  }
  for (let i = 0; i < WARMUP; i++) for (const group of GROUPS) await simulate(ORDER_IDS[i % ORDER_IDS.length], group.id);
  const started = process.hrtime.bigint();
  for (let i = 0; i < SIMULATIONS; i++) {
    const orderId = ORDER_IDS[(WARMUP + i) % ORDER_IDS.length];
    for (const group of GROUPS) {
      const t = process.hrtime.bigint();
      const result = await simulate(orderId, group.id);
      group.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      group.candidates += result.trace.reduce((sum, rule) => sum + rule.candidates.length, 0);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();

  const lines = [
    `| simulated group | simulations | p50 ms | p99 ms | max ms | mean ms | simulations/s, one at a time | candidates explained per order |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const group of GROUPS) {
    const sorted = [...group.ms].sort((a, b) => a - b);
    const total = group.ms.reduce((sum, ms) => sum + ms, 0);
    lines.push(
      `| ${group.name} | ${group.ms.length} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${sorted[sorted.length - 1].toFixed(2)} | ${(total / group.ms.length).toFixed(2)} | ${Math.round((1000 * group.ms.length) / total)} | ${(group.candidates / group.ms.length).toFixed(1)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(
    `[routing-simulate] ${SIMULATIONS * GROUPS.length} simulations in ${seconds.toFixed(1)} s after ${WARMUP * GROUPS.length} to warm up\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
