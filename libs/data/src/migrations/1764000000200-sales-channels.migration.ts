import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each API key belongs to one sales channel (a storefront, a marketplace); an order's external id
 * is unique within its channel, since channels number their orders independently. Existing keys
 * become channels of their own name, existing orders take their key's channel.
 */
export class SalesChannels1764000000200 implements MigrationInterface {
  name = 'SalesChannels1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_key ADD COLUMN sales_channel text');
    await q.query('UPDATE api_key SET sales_channel = left(name, 100)');
    await q.query(`ALTER TABLE api_key ALTER COLUMN sales_channel SET NOT NULL,
      ADD CONSTRAINT api_key_sales_channel_length CHECK (length(sales_channel) BETWEEN 1 AND 100)`);

    await q.query('ALTER TABLE sales_order ADD COLUMN sales_channel text');
    await q.query(`UPDATE sales_order o SET sales_channel = COALESCE((SELECT k.sales_channel FROM api_key k WHERE k.id = o.api_key_id), 'unknown')`);
    await q.query('ALTER TABLE sales_order ALTER COLUMN sales_channel SET NOT NULL');
    await q.query('ALTER TABLE sales_order DROP CONSTRAINT sales_order_external_id_key');
    await q.query('ALTER TABLE sales_order ADD CONSTRAINT sales_order_channel_external_id UNIQUE (sales_channel, external_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sales_order DROP CONSTRAINT sales_order_channel_external_id');
    await q.query('ALTER TABLE sales_order ADD CONSTRAINT sales_order_external_id_key UNIQUE (external_id)');
    await q.query('ALTER TABLE sales_order DROP COLUMN sales_channel');
    await q.query('ALTER TABLE api_key DROP COLUMN sales_channel');
  }
}
