import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** An onResponse hook: one line per answered request, except health probes (every 2 s per balancer). */
export function logCompletedRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!request.url.startsWith('/health/')) {
    request.log.info({ req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
  }
  done();
}
