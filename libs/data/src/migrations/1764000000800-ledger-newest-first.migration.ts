import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger of an inventory row pages newest first by (created_at, id), like every list: an index
 * in that order replaces the one by id, which nothing reads any more.
 */
export class LedgerNewestFirst1764000000800 implements MigrationInterface {
  name = 'LedgerNewestFirst1764000000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX inventory_ledger_item_created ON inventory_ledger (facility_id, product_id, created_at, id)');
    await q.query('DROP INDEX inventory_ledger_item');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX inventory_ledger_item ON inventory_ledger (facility_id, product_id, id)');
    await q.query('DROP INDEX inventory_ledger_item_created');
  }
}
