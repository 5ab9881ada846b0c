import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { installGracefulShutdown, loadConfigOrExit } from '@app/platform';
import { AsyncWorkerModule } from './async-worker.module';

const CLOSE_TIMEOUT_MS = 30_000;

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestFastifyApplication>(AsyncWorkerModule.forRoot(config), new FastifyAdapter({ return503OnClosing: false }), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);

  await app.listen(config.http.workerHealthPort, config.http.host);
  logger.log({ healthAddress: app.getHttpServer().address() }, 'async-worker running');

  installGracefulShutdown(app, { drainMs: config.shutdownDrainMs, closeTimeoutMs: CLOSE_TIMEOUT_MS, logger });
}

void bootstrap();
