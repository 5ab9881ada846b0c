import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Echoes a well-formed X-Request-Id and mints a UUID otherwise; the id is also stored on the raw
 * request (the `id` pino-http declares on it) so that pino-http (which sees only the raw request) logs the same id Fastify uses.
 */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
  req.id = id;
  return id;
}
