import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** An onResponse hook: one line per answered request, except health probes (every 2 s per balancer); reqId as in every line written during the request. */
export function logCompletedRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!request.url.startsWith('/health/')) {
    request.log.info(
      { reqId: request.id, req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
  done();
}
