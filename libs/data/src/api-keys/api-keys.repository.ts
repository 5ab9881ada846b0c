import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async insert(name: string, keyHash: Buffer): Promise<{ id: string; name: string }> {
    const [row] = await this.db.query<{ id: string; name: string }>('INSERT INTO api_key (name, key_hash) VALUES ($1, $2) RETURNING id, name', [
      name,
      keyHash,
    ]);
    return row;
  }

  async findActiveIdByHash(keyHash: Buffer): Promise<string | undefined> {
    const [row] = await this.db.query<{ id: string }>('SELECT id FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
    return row?.id;
  }
}
