import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/** The one request context of the process: the request being served, for the log lines written meanwhile. */
const requestContext = new AsyncLocalStorage<FastifyRequest>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.id;
}

/**
 * A preHandler hook: after the body is parsed (its stream events would lose the context), so the
 * context spans guards, interceptors, the handler and the error filter.
 */
export function runInRequestContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  requestContext.run(request, done);
}
