import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that writes outbox events notifies channel `outbox_event` on commit, so the
 * relay wakes at once instead of waiting for its next poll (PostgreSQL folds the notifications of
 * one transaction into one).
 */
export class OutboxNotify1764000000300 implements MigrationInterface {
  name = 'OutboxNotify1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_event', '');
        RETURN NULL;
      END $$`);
    await q.query('CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify()');
    await q.query('CREATE INDEX outbox_event_published_at ON outbox_event (published_at) WHERE published_at IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_event_published_at');
    await q.query('DROP TRIGGER outbox_event_notify ON outbox_event');
    await q.query('DROP FUNCTION outbox_event_notify()');
  }
}
