import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payloads a channel sent that could not become (or cancel) an order: answered 200 so that the
 * channel does not retry them, and kept here with the reason. One row per channel, topic, external
 * id and reason: a redelivery of the same payload moves the row's time instead of adding another.
 */
export class ChannelImportErrors1764000002500 implements MigrationInterface {
  name = 'ChannelImportErrors1764000002500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channel_import_error (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sales_channel text NOT NULL REFERENCES sales_channel (code),
        topic text NOT NULL CHECK (topic IN ('orders/create', 'orders/cancelled')),
        external_id text CHECK (length(external_id) BETWEEN 1 AND 128),
        error text NOT NULL CHECK (length(error) BETWEEN 1 AND 1000),
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX channel_import_error_newest ON channel_import_error (sales_channel, at DESC, id DESC)');
    await q.query(
      'CREATE UNIQUE INDEX channel_import_error_once ON channel_import_error (sales_channel, topic, external_id, md5(error)) WHERE external_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE channel_import_error');
  }
}
