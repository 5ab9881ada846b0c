import { Injectable } from '@nestjs/common';
import { PrimaryDatabase } from '../database/primary-database';
import type { ApiKeyRestrictions } from './api-key-access';

export interface ApiKeyIdentity extends ApiKeyRestrictions {
  apiKeyId: string;
  salesChannel: string;
}

export interface ApiKeyRecord extends ApiKeyRestrictions {
  id: string;
  name: string;
  salesChannel: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface RevokedApiKey {
  keyHash: Buffer;
  revokedAt: Date;
}

const RESTRICTIONS = 'permissions, channels, facilities::text[] AS facilities';
const RECORD = `id, name, sales_channel AS "salesChannel", ${RESTRICTIONS}, created_at AS "createdAt", revoked_at AS "revokedAt"`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: PrimaryDatabase) {}

  async insert(name: string, salesChannel: string, keyHash: Buffer, restrictions: ApiKeyRestrictions): Promise<ApiKeyRecord> {
    const { permissions, channels, facilities } = restrictions;
    // A channel the key names for the first time becomes a channel of type API, as keys made channels before channels were records.
    const [row] = await this.db.query<ApiKeyRecord>(
      `WITH channel AS (INSERT INTO sales_channel (code, name, type) VALUES ($2, $2, 'API') ON CONFLICT (code) DO NOTHING)
       INSERT INTO api_key (name, sales_channel, key_hash, permissions, channels, facilities) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${RECORD}`,
      [name, salesChannel, keyHash, permissions, channels, facilities],
    );
    return row;
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.query<ApiKeyRecord>(`SELECT ${RECORD} FROM api_key WHERE id = $1`, [id]);
    return row;
  }

  async findActiveByHash(keyHash: Buffer): Promise<ApiKeyIdentity | undefined> {
    const [row] = await this.db.query<ApiKeyIdentity>(
      `SELECT id AS "apiKeyId", sales_channel AS "salesChannel", ${RESTRICTIONS} FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return row;
  }

  /** The ids among `facilityIds` that name no facility. */
  async unknownFacilities(facilityIds: readonly string[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT id::text FROM unnest($1::uuid[]) AS given(id) WHERE NOT EXISTS (SELECT 1 FROM facility f WHERE f.id = given.id)',
      [facilityIds],
    );
    return rows.map((row) => row.id);
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
