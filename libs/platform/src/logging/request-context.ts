import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The work under way, for the log lines (and outbox events) written meanwhile: an HTTP request (the
 * Fastify request itself, nothing allocated), or a job with the request that caused it.
 */
export interface WorkContext {
  /** The request this work is for: the request served, or the one request that caused the job. */
  readonly id?: string;
  /** More fields for every log line written meanwhile (a job's id and name). */
  readonly logFields?: Readonly<Record<string, unknown>>;
}

/** The one work context of the process. */
const workContext = new AsyncLocalStorage<WorkContext>();

export function currentRequestId(): string | undefined {
  return workContext.getStore()?.id;
}

/** The work under way, if any. */
export function currentWork(): WorkContext | undefined {
  return workContext.getStore();
}

/** Runs `work` (a job) in `context`, for the log lines and outbox events it writes. */
export function runInWorkContext<T>(context: WorkContext, work: () => T): T {
  return workContext.run(context, work);
}

/**
 * A preHandler hook: after the body is parsed (its stream events would lose the context), so the
 * context spans guards, interceptors, the handler and the error filter.
 */
export function runInRequestContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  workContext.run(request, done);
}
