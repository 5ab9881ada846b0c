import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { createAppLogger, createHttpAdapter, installGracefulShutdown, loadConfigOrExit, PinoNestLogger, startTracing } from '@app/platform';
import { setUpDocsPages } from './openapi/docs-pages';

const CLOSE_TIMEOUT_MS = 10_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const tracing = startTracing(config, 'sync-api');
  // Required only now that tracing has started, so that pg and ioredis load instrumented (nothing above loads them).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { SyncApiModule } = require('./sync-api.module') as typeof import('./sync-api.module');
  const appLogger = createAppLogger(config, 'sync-api');
  const logger = new PinoNestLogger(appLogger);
  const { adapter, internalServer } = createHttpAdapter(appLogger);
  const app = await NestFactory.create<NestFastifyApplication>(SyncApiModule.forRoot(config), adapter, { logger });
  if (config.admin.isDevDefault) {
    logger.warn(`ADMIN_TOKEN is not set: using the development token "${config.admin.token}"`);
  }

  setUpDocsPages(app, config.admin.token);
  await app.listen(config.http.port, config.http.host);
  await listen(internalServer, config.http.internalPort, config.http.internalHost);
  const publicAddress = app.getHttpServer().address();
  const internalAddress = internalServer.address();
  appLogger.info({ publicAddress, internalAddress, tracing: tracing ?? 'off' }, 'sync-api listening');

  installGracefulShutdown(app, {
    drainMs: config.shutdownDrainMs,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
    extraServers: [internalServer],
    logger,
  });
}

void bootstrap();
