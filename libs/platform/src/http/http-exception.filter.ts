import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDataException, isDependencyFailure } from '../errors/dependency-failure';
import { DomainError } from '../errors/domain-errors';
import { errorBody } from './error-body';

/** Seconds a client is asked to wait when a dependency is down: about one reconnect attempt of the pools. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'invalid-input': HttpStatus.BAD_REQUEST,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

interface HttpExceptionResponse {
  message?: string | string[];
  details?: unknown[];
}

interface Described {
  status: number;
  message: string;
  details?: unknown[];
  retryAfterSeconds?: number;
  /** A 4xx worth a warning in the log: bad input that only the database caught. */
  warn?: boolean;
}

/** Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode. */
function asFrameworkClientError(exception: unknown): Described | undefined {
  const { statusCode, message } = (exception ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { status: statusCode, message: typeof message === 'string' ? message : 'Bad request' };
}

function describeHttpException(exception: HttpException): Described {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return { status, message: response };
  const { message, details } = response as HttpExceptionResponse;
  if (Array.isArray(message)) return { status, message: message.join('; '), details: details ?? message.map((m) => ({ message: m })) };
  return { status, message: status >= 500 && status !== 503 ? 'Internal server error' : (message ?? exception.message), details };
}

/**
 * The one place where errors become HTTP: domain errors by kind, Nest's and Fastify's own 4xx as
 * they are, an unreachable database as 503 with Retry-After, a value the database refused as 400.
 * Every error leaves in the one shape of docs/api.md; a 5xx never shows its cause to the client.
 */
export function describeError(exception: unknown): Described {
  if (exception instanceof DomainError) return { status: DOMAIN_STATUS[exception.kind], message: exception.message, details: exception.details };
  if (exception instanceof HttpException) return describeHttpException(exception);
  const clientError = asFrameworkClientError(exception);
  if (clientError) return clientError;
  if (isDependencyFailure(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'a dependency is unavailable; retry later',
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
    };
  }
  if (isDataException(exception)) return { status: HttpStatus.BAD_REQUEST, message: 'a value in the request cannot be stored', warn: true };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, message, details, retryAfterSeconds, warn } = describeError(exception);
    if (status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    if (warn) this.logger.warn({ err: exception, requestId: request.id }, 'input refused by the database');
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    void reply.status(status).send(errorBody(status, message, request.id, details));
  }
}
