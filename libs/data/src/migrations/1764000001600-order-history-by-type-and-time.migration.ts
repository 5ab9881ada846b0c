import { MigrationInterface, QueryRunner } from 'typeorm';

/** The warehouse ETL reads the allocations and rejections written since its last run: by type and time, not the whole history. */
export class OrderHistoryByTypeAndTime1764000001600 implements MigrationInterface {
  name = 'OrderHistoryByTypeAndTime1764000001600';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX order_history_type_at ON order_history (type, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX order_history_type_at');
  }
}
