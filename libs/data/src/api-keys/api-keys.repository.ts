import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';

export interface ApiKeyIdentity {
  apiKeyId: string;
  salesChannel: string;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async insert(name: string, salesChannel: string, keyHash: Buffer): Promise<{ id: string; name: string; salesChannel: string }> {
    const [row] = await this.db.query<{ id: string; name: string; salesChannel: string }>(
      'INSERT INTO api_key (name, sales_channel, key_hash) VALUES ($1, $2, $3) RETURNING id, name, sales_channel AS "salesChannel"',
      [name, salesChannel, keyHash],
    );
    return row;
  }

  async findActiveByHash(keyHash: Buffer): Promise<ApiKeyIdentity | undefined> {
    const [row] = await this.db.query<ApiKeyIdentity>(
      'SELECT id AS "apiKeyId", sales_channel AS "salesChannel" FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL',
      [keyHash],
    );
    return row;
  }
}
