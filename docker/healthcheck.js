// Container health check of either app (the image has no curl): exit 0 when the URL answers 200
// within 2 s, else 1. Used by docker/compose.yaml, and usable by an ECS task definition:
//   node docker/healthcheck.js http://127.0.0.1:3000/health/ready
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node docker/healthcheck.js <url>\n');
  process.exit(2);
}
fetch(url, { signal: AbortSignal.timeout(2000) }).then(
  (response) => process.exit(response.status === 200 ? 0 : 1),
  (error) => {
    process.stderr.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
