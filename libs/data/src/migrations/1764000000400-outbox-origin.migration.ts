import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an outbox event comes from: the id of the request (or job) that wrote it, and its W3C
 * traceparent while tracing is on. The relay hands both to the jobs the event causes, so their log
 * lines carry the request id and their spans continue the request's trace. Nullable without a
 * default: adding them rewrites nothing.
 */
export class OutboxOrigin1764000000400 implements MigrationInterface {
  name = 'OutboxOrigin1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_event ADD COLUMN request_id text, ADD COLUMN traceparent text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_event DROP COLUMN traceparent, DROP COLUMN request_id');
  }
}
