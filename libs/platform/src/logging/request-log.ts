import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** An onResponse hook: one line per answered request, except health probes (every 2 s per balancer); reqId as in every line written during the request. */
export function logCompletedRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!request.url.startsWith('/health/')) {
    // Flat fields of primitives: pino writes those without a generic object serialiser, and this line is on every request.
    request.log.info(
      { reqId: request.id, method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
  done();
}
