import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least-privilege API keys: what a key may do (permissions) and which sales channels and
 * facilities it reaches. NULL keeps today's keys unrestricted.
 */
export class ApiKeyRestrictions1764000000700 implements MigrationInterface {
  name = 'ApiKeyRestrictions1764000000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_key
        ADD COLUMN permissions text[],
        ADD COLUMN channels text[],
        ADD COLUMN facilities uuid[],
        ADD CONSTRAINT api_key_permissions_known CHECK (
          permissions <@ ARRAY['catalog:write', 'inventory:write', 'orders:read', 'orders:write', 'fulfilment', 'reports:read']::text[]
        )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE api_key DROP CONSTRAINT api_key_permissions_known, DROP COLUMN facilities, DROP COLUMN channels, DROP COLUMN permissions',
    );
  }
}
