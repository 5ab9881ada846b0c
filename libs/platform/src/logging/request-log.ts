import type { FastifyBaseLogger, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export interface RequestLine {
  reqId: string;
  method: string;
  url: string;
  statusCode: number;
  /** Milliseconds from the request's arrival to its response. */
  responseTime: number;
}

/** The one line of an answered request; flat fields of primitives, which pino writes without a generic object serialiser. */
export function logRequestLine(logger: FastifyBaseLogger, line: RequestLine): void {
  logger.info(line, 'request completed');
}

/** An onResponse hook: one line per answered request, except health probes (every 2 s per balancer); reqId as in every line written during the request. */
export function logCompletedRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!request.url.startsWith('/health/')) {
    logRequestLine(request.log, {
      reqId: request.id,
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    });
  }
  done();
}
