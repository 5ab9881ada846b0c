import pino, { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';
import { TickBatchedDestination } from './tick-batched-destination';

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
 * Written asynchronously, the lines of one event-loop turn in one batch (TickBatchedDestination),
 * and what is left is flushed when the process exits.
 */
export function createAppLogger(
  config: Pick<AppConfig, 'logLevel'>,
  service: string,
  destination: DestinationStream = new TickBatchedDestination(pino.destination({ dest: 1, sync: false })),
): AppLogger {
  return pino({ level: config.logLevel, base: { service, pid: process.pid }, serializers: { req: requestSummary } }, destination);
}
