import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { AppLogger } from './app-logger';
import { currentWork } from './request-context';

const STACK_TRACE = /\n\s*at /;

/**
 * Nest's Logger onto the app's pino logger: `logger.warn(fields, 'message')` or `logger.log('message')`,
 * with the Logger's context and, during a request, its id (reqId, as in Fastify's own lines); during a
 * job, the id of the request that caused it (reqId, or reqIds for a batch of several) and the job's.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: AppLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the Logger's context last, and before it a message (fields first) or an error's stack. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const work = currentWork();
    if (work?.id !== undefined) fields.reqId = work.id;
    if (work?.logFields !== undefined) Object.assign(fields, work.logFields);
    if (params.length > 0) fields.context = params[params.length - 1];
    const text = params.slice(0, -1).find((param): param is string => typeof param === 'string');

    if (message instanceof Error) fields.err = message;
    else if (typeof message === 'object' && message !== null) Object.assign(fields, message);
    else {
      if (text !== undefined && STACK_TRACE.test(text)) fields.err = { message: String(message), stack: text };
      return this.pino[level](fields, String(message));
    }
    this.pino[level](fields, text);
  }
}
