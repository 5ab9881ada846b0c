import { currentRequestId, currentTraceparent } from '@app/platform';

/** Where an outbox event comes from, written in the same INSERT as the event (null for what is unknown). */
export interface OutboxOrigin {
  requestId: string | null;
  traceparent: string | null;
}

/** The origin of the events written now: the request (or job) under way, and its span while tracing is on. */
export function currentOutboxOrigin(): OutboxOrigin {
  return { requestId: currentRequestId() ?? null, traceparent: currentTraceparent() ?? null };
}
