import pino, { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';

export type AppLogger = Logger;

interface LoggedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

/** A request in any log line (ours or Fastify's): never its headers, so no Authorization or cookie. */
function requestSummary(req: LoggedRequest): LoggedRequest {
  return { id: req.id, method: req.method, url: req.url };
}

/**
 * The process's one pino logger: JSON lines on stdout, used by Fastify and by Nest's Logger.
 * Written asynchronously (lines logged while a write is under way leave in the next one, so a busy
 * instance makes one write per batch, not per line); pino flushes what is left when the process exits.
 */
export function createAppLogger(
  config: Pick<AppConfig, 'logLevel'>,
  service: string,
  destination: DestinationStream = pino.destination({ dest: 1, sync: false }),
): AppLogger {
  return pino({ level: config.logLevel, base: { service, pid: process.pid }, serializers: { req: requestSummary } }, destination);
}
