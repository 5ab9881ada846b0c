import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createAppLogger, createInternalServer, installGracefulShutdown, loadConfigOrExit, PinoNestLogger, startTracing } from '@app/platform';

const CLOSE_TIMEOUT_MS = 30_000;

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const tracing = startTracing(config, 'async-worker');
  // Required only now that tracing has started, so that pg and ioredis load instrumented (nothing above loads them).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { AsyncWorkerModule } = require('./async-worker.module') as typeof import('./async-worker.module');
  const appLogger = createAppLogger(config, 'async-worker');
  const logger = new PinoNestLogger(appLogger);
  // Health probes only, from inside the deployment (an internal port: full readiness details); no request logging on this port.
  const adapter = new FastifyAdapter({ return503OnClosing: false, serverFactory: createInternalServer });
  const app = await NestFactory.create<NestFastifyApplication>(AsyncWorkerModule.forRoot(config), adapter, { logger });

  await app.listen(config.http.workerHealthPort, config.http.host);
  appLogger.info({ healthAddress: app.getHttpServer().address(), tracing: tracing ?? 'off' }, 'async-worker running');

  installGracefulShutdown(app, { drainMs: config.shutdownDrainMs, closeTimeoutMs: CLOSE_TIMEOUT_MS, logger });
}

void bootstrap();
