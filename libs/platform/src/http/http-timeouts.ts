import { createServer, RequestListener, Server } from 'node:http';

/** A request's headers must arrive within this long of its first byte (408 and the connection closed otherwise). */
export const HEADERS_TIMEOUT_MS = 15_000;
/** A whole request, headers and body, must arrive within this long. */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How long an idle keep-alive connection stays open: longer than the load balancer's idle timeout
 * (the ALB's 60 s: infra/lib/keep-alive-timing.ts; HAProxy: docker/haproxy.cfg), so that the
 * balancer closes an idle connection first and never sends a request on one the app is closing.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Node checks the two request timeouts only this often (default 30 s, which would let a stalled request live up to 60 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** An HTTP server for `handler` with the timeouts above. */
export function createServerWithTimeouts(handler: RequestListener): Server {
  return createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    handler,
  );
}
