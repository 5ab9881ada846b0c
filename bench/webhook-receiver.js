// A partner's webhook endpoint for bench/webhooks-bench.sh: answers every POST 204 after checking
// its X-OMS-Signature (HMAC-SHA256 of the raw body with BENCH_WEBHOOK_SECRET, constant time), as a
// partner would. Prints its address as JSON on start; on SIGTERM prints the counts and exits.
// Usage: BENCH_WEBHOOK_SECRET=... node bench/webhook-receiver.js PORT
const { createHmac, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');

const secret = process.env.BENCH_WEBHOOK_SECRET;
if (!secret) throw new Error('BENCH_WEBHOOK_SECRET is required');
const counts = { received: 0, badSignatures: 0 };

function signed(body, header) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const received = Buffer.from(String(header ?? ''));
  return expected.length === received.length && timingSafeEqual(expected, received);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    counts.received += 1;
    if (!signed(Buffer.concat(chunks), request.headers['x-oms-signature'])) counts.badSignatures += 1;
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => process.stdout.write(`${JSON.stringify(server.address())}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.exit(0);
});
