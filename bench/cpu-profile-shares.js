// Reduces a V8 .cpuprofile (node --cpu-prof) to shares of busy CPU time by category of the request
// path. Usage: node bench/cpu-profile-shares.js <file.cpuprofile>
//
// Samples count from the first one inside an HTTP request (boot is left out). A sample's time is the
// delta to the next sample; busy time is everything but (idle). Two columns:
// - inclusive: the sample counts for a category when any frame of its stack belongs to it, so the
//   shares overlap (Nest's pipeline calls the guards, a hook calls pino) and do not sum to 100%;
// - innermost: the sample counts only for the category of the frame nearest the leaf that has one,
//   so the shares partition busy time (what a category's own code and what it calls into Node costs).
const { readFileSync } = require('node:fs');

const pkg = (...names) => new RegExp(`node_modules/(${names.join('|')})/`);
const src = (...paths) => new RegExp(`/(${paths.join('|')})`);
const url =
  (...patterns) =>
  (frame) =>
    patterns.some((pattern) => pattern.test(frame.url));
const nativeFunction =
  (...names) =>
  (frame) =>
    frame.url === '' && names.includes(frame.functionName);

// When one frame matches two categories, the first one listed takes it in the innermost column.
const CATEGORIES = [
  [
    'logging (pino, pino-http, nestjs-pino, middie, own logging)',
    url(
      pkg('pino', 'pino-http', 'nestjs-pino', 'sonic-boom', 'pino-std-serializers', 'fast-redact', '@pinojs/redact', '@fastify/middie'),
      src('libs/platform/src/logging/'),
    ),
  ],
  ['async_hooks / AsyncLocalStorage', url(/^node:(internal\/)?(async_hooks|async_local_storage)/)],
  [
    'own HTTP hooks (request id, port check, metrics, early responses)',
    url(src('libs/platform/src/http/(fastify-adapter\\.factory|request-id|early-responses)', 'libs/platform/src/metrics/http-metrics')),
  ],
  [
    'rate limiting (guard, counters, Redis client)',
    url(
      pkg('@nestjs/throttler', 'ioredis', 'redis-parser', 'standard-as-callback'),
      src('apps/sync-api/src/api/(api-key-throttler|rate-limit)', 'libs/cache/src/rate-limit/'),
    ),
  ],
  ['rxjs interceptors', url(pkg('rxjs'), src('apps/sync-api/src/api/read-your-writes'))],
  ['API key check', url(pkg('lru-cache'), src('apps/sync-api/src/api/api-key\\.guard', 'libs/data/src/api-keys/'))],
  [
    'database (pg, typeorm, repositories)',
    url(pkg('pg', 'pg-protocol', 'pg-pool', 'typeorm'), src('libs/data/src/(database|catalog|read-routing)/')),
  ],
  [
    'JSON (response serialisation, JSON.parse/stringify)',
    (frame) =>
      nativeFunction('stringify', 'parse')(frame) ||
      (frame.functionName === 'serialize' && frame.url.endsWith('node_modules/fastify/lib/reply.js')) ||
      url(pkg('fast-json-stringify', 'secure-json-parse'))(frame),
  ],
  [
    'Nest pipeline (core, common, platform-fastify, validation)',
    url(pkg('@nestjs/core', '@nestjs/common', '@nestjs/platform-fastify', 'class-validator', 'class-transformer')),
  ],
  [
    'Fastify (fastify, find-my-way, avvio, @fastify/*)',
    url(pkg('fastify', 'find-my-way', 'avvio', '@fastify/[^/]+', 'light-my-request', 'toad-cache')),
  ],
  ['Node http, net and streams', url(/^node:(_http_|http|net|stream|internal\/(streams|http|net|stream_base_commons|timers))/)],
  ['garbage collector', (frame) => frame.functionName === '(garbage collector)'],
];

function shares(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoriesOf = new Map(profile.nodes.map((node) => [node.id, CATEGORIES.flatMap(([, matches], i) => (matches(node.callFrame) ? [i] : []))]));

  const inclusive = new Float64Array(CATEGORIES.length);
  const innermost = new Float64Array(CATEGORIES.length);
  let busy = 0;
  let idle = 0;
  const { samples, timeDeltas } = profile;
  const inRequest = (sample) => {
    for (let id = sample; id !== undefined; id = parent.get(id)) if (byId.get(id).callFrame.url === 'node:_http_server') return true;
    return false;
  };
  const start = samples.findIndex(inRequest);
  for (let i = Math.max(start, 0); i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(samples[i]);
    if (leaf.callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    busy += dt;
    const seen = new Set();
    let first;
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      for (const category of categoriesOf.get(id)) {
        first ??= category;
        seen.add(category);
      }
    }
    for (const category of seen) inclusive[category] += dt;
    if (first !== undefined) innermost[first] += dt;
  }
  return { busy, idle, inclusive, innermost };
}

function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/cpu-profile-shares.js <file.cpuprofile>');
  const { busy, idle, inclusive, innermost } = shares(JSON.parse(readFileSync(file, 'utf8')));
  const pct = (us) => `${((100 * us) / busy).toFixed(1)}%`;
  const attributed = innermost.reduce((sum, us) => sum + us, 0);
  process.stdout.write(`\nbusy ${(busy / 1e6).toFixed(2)} s of ${((busy + idle) / 1e6).toFixed(2)} s profiled\n\n`);
  process.stdout.write('| category | inclusive | innermost |\n|---|---|---|\n');
  CATEGORIES.forEach(([name], i) => process.stdout.write(`| ${name} | ${pct(inclusive[i])} | ${pct(innermost[i])} |\n`));
  process.stdout.write(`| anything else (app code, V8, other Node internals) | | ${pct(busy - attributed)} |\n`);
}

main();
