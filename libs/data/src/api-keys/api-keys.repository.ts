import { Injectable } from '@nestjs/common';
import { PrimaryDatabase } from '../database/primary-database';

export interface ApiKeyIdentity {
  apiKeyId: string;
  salesChannel: string;
}

export interface RevokedApiKey {
  keyHash: Buffer;
  revokedAt: Date;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: PrimaryDatabase) {}

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

  /** Marks the key revoked (a key revoked already keeps its first time); undefined when there is no such key. */
  async revoke(id: string): Promise<RevokedApiKey | undefined> {
    const [row] = await this.db.query<RevokedApiKey>(
      'UPDATE api_key SET revoked_at = COALESCE(revoked_at, clock_timestamp()) WHERE id = $1 RETURNING key_hash AS "keyHash", revoked_at AS "revokedAt"',
      [id],
    );
    return row;
  }

  async findRevokedSince(since: Date): Promise<RevokedApiKey[]> {
    return this.db.query<RevokedApiKey>(
      'SELECT key_hash AS "keyHash", revoked_at AS "revokedAt" FROM api_key WHERE revoked_at > $1 ORDER BY revoked_at',
      [since],
    );
  }
}
