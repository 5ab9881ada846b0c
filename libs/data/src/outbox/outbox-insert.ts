import { currentOutboxOrigin } from '@app/jobs';

/** SQL to splice into a statement, with the parameters it adds after the statement's own. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/**
 * The one INSERT of outbox events, as a statement of its own or a data-modifying CTE of the
 * statement that makes the change (so that the change and its event are one round trip). `rows` is
 * a SELECT of (topic, aggregate id, payload), one row per event, in the order to relay them; every
 * event is stamped with the origin of the request or job under way, so that the jobs it causes
 * carry its request id and trace. Its two parameters are numbered from `firstParam`: the caller
 * appends `params` to its own.
 */
export function outboxInsert(rows: string, firstParam: number): SqlFragment {
  const { requestId, traceparent } = currentOutboxOrigin();
  return {
    sql: `INSERT INTO outbox_event (topic, aggregate_id, payload, request_id, traceparent)
          SELECT e.topic, e.aggregate_id, e.payload, $${firstParam}::text, $${firstParam + 1}::text
            FROM (${rows}) AS e(topic, aggregate_id, payload)`,
    params: [requestId, traceparent],
  };
}
