import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales channels become records: a type (API or SHOPIFY), the secret Shopify signs its webhooks
 * with, the facility group whose stock the channel sells and the units it holds back. Every channel
 * an API key or an order already names becomes a channel of type API, and a key names an existing
 * channel from now on.
 */
export class SalesChannelRecords1764000002400 implements MigrationInterface {
  name = 'SalesChannelRecords1764000002400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sales_channel (
        code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 100),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        type text NOT NULL CHECK (type IN ('API', 'SHOPIFY')),
        webhook_secret text CHECK (length(webhook_secret) BETWEEN 1 AND 200),
        facility_group_id uuid REFERENCES facility_group (id),
        threshold_units integer NOT NULL DEFAULT 0 CHECK (threshold_units >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (type <> 'SHOPIFY' OR webhook_secret IS NOT NULL)
      )`);
    await q.query('CREATE TRIGGER sales_channel_updated_at BEFORE UPDATE ON sales_channel FOR EACH ROW EXECUTE FUNCTION stamp_updated_at()');
    await q.query(`
      INSERT INTO sales_channel (code, name, type)
      SELECT DISTINCT sales_channel, sales_channel, 'API' FROM (SELECT sales_channel FROM api_key UNION SELECT sales_channel FROM sales_order) named
      WHERE length(sales_channel) BETWEEN 1 AND 100`);
    await q.query('ALTER TABLE api_key ADD CONSTRAINT api_key_sales_channel_fk FOREIGN KEY (sales_channel) REFERENCES sales_channel (code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_key DROP CONSTRAINT api_key_sales_channel_fk');
    await q.query('DROP TABLE sales_channel');
  }
}
