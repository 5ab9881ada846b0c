import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { withTimeout } from '../async/with-timeout';
import { shutdownTracing } from '../tracing/tracing';
import { LifecycleState } from './lifecycle.state';

/** Spans still buffered get this long to reach the collector; a collector that is down does not hold the exit up. */
const TRACING_FLUSH_TIMEOUT_MS = 5000;

export interface GracefulShutdownOptions {
  drainMs: number;
  /** Time allowed for closing after the drain; past it the process exits 1 whatever is still open. */
  closeTimeoutMs: number;
  /** Listeners Nest does not own (the internal admin port). */
  extraServers?: Server[];
  logger: LoggerService;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * SIGTERM/SIGINT: readiness turns 503 at once (the load balancer takes the instance out), requests
 * are still served for drainMs, then listeners stop accepting, in-flight work finishes, and Nest
 * closes queues, Redis and the database in its shutdown hooks; the spans still buffered are exported
 * last (the close's own included). A second signal or a hung close ends the process anyway.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): void {
  const { drainMs, closeTimeoutMs, extraServers = [], logger } = options;
  let stopping = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn(`second ${signal} received, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    app.get(LifecycleState).startDraining();
    logger.log(`${signal} received: readiness is 503, draining for ${drainMs} ms`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${drainMs + closeTimeoutMs} ms, exiting`);
      process.exit(1);
    }, drainMs + closeTimeoutMs).unref();

    await sleep(drainMs);
    await Promise.all(extraServers.map(closeServer));
    await app.close();
    await withTimeout(shutdownTracing(), TRACING_FLUSH_TIMEOUT_MS, 'the spans were not exported').catch((error: Error) =>
      logger.warn(`tracing: ${error.message}`),
    );
    logger.log('shutdown complete');
    process.exit(0);
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, (received) => void shutdown(received));
  }
}
