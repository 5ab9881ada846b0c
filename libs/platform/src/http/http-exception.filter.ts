import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-body';

interface HttpExceptionResponse {
  message?: string | string[];
  details?: unknown[];
}

/** Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode. */
function asFrameworkClientError(exception: unknown): { status: number; message: string } | undefined {
  const { statusCode, message } = (exception ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { status: statusCode, message: typeof message === 'string' ? message : 'Bad request' };
}

/** Every error leaves in the one shape of API.md; a 5xx never shows its cause to the client. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, message, details } = this.describe(exception);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    }
    void reply.status(status).send(errorBody(status, message, request.id, details));
  }

  private describe(exception: unknown): { status: number; message: string; details?: unknown[] } {
    if (!(exception instanceof HttpException)) {
      const clientError = asFrameworkClientError(exception);
      return clientError ?? { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
    }
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return { status, message: response };
    const { message, details } = response as HttpExceptionResponse;
    if (Array.isArray(message)) return { status, message: message.join('; '), details: details ?? message.map((m) => ({ message: m })) };
    return { status, message: status >= 500 && status !== 503 ? 'Internal server error' : (message ?? exception.message), details };
  }
}
