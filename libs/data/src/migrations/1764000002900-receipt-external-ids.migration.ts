import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A receipt may carry the supplier's or the dock's reference for the delivery (an advance ship
 * notice, a delivery note): unique per purchase order, so that a receipt sent again after a
 * timeout is recognised and not received twice.
 */
export class ReceiptExternalIds1764000002900 implements MigrationInterface {
  name = 'ReceiptExternalIds1764000002900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE purchase_order_receipt
        ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 128),
        ADD CONSTRAINT purchase_order_receipt_external_id UNIQUE (purchase_order_id, external_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE purchase_order_receipt DROP CONSTRAINT purchase_order_receipt_external_id, DROP COLUMN external_id');
  }
}
