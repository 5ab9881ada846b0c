import type { BeforeHookResult, HookContext } from '@bull-board/api/typings/app';

/**
 * What an operator may do from the board besides looking: retry, clean and promote jobs, the
 * remedies for jobs that failed or wait on a backoff. Adding or editing jobs, changing schedules,
 * pausing, emptying or obliterating queues are refused: jobs come from the outbox and schedules are
 * upserted by every worker at start, so such edits would bypass the one path that makes work
 * exactly-once, or be undone by the next worker. Each entry is `<method> <route>` as the board
 * declares its routes.
 */
const OPERATOR_ACTIONS: ReadonlySet<string> = new Set([
  'put /api/queues/:queueName/retry/:queueStatus',
  'put /api/queues/:queueName/:jobId/retry',
  'put /api/queues/:queueName/clean/:queueStatus',
  'put /api/queues/:queueName/:jobId/clean',
  'put /api/queues/:queueName/promote',
  'put /api/queues/:queueName/:jobId/promote',
]);

/** The board's `before` hook: reads pass, and of the writes only the operator actions above. */
export function allowOperatorActions({ method, route }: Pick<HookContext, 'method' | 'route'>): BeforeHookResult {
  if (method === 'get' || OPERATOR_ACTIONS.has(`${method} ${route}`)) return { allow: true };
  return { allow: false, status: 403, message: 'Only retry, clean and promote are allowed on this board' };
}
