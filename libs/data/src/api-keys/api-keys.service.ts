import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Database } from '../database/database';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface CreatedApiKey {
  id: string;
  name: string;
  /** Shown once: only its hash is stored. */
  key: string;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest();

@Injectable()
export class ApiKeysService {
  /** Hash -> key id (or null for unknown keys), so the hot path does not query on every request. */
  private readonly cache = new Map<string, { apiKeyId: string | null; expiresAt: number }>();

  constructor(private readonly db: Database) {}

  async create(name: string): Promise<CreatedApiKey> {
    const key = `oms_${randomBytes(32).toString('base64url')}`;
    const [row] = await this.db.query<{ id: string; name: string }>(
      'INSERT INTO api_key (name, key_hash) VALUES ($1, $2) RETURNING id, name',
      [name, hashKey(key)],
    );
    return { ...row, key };
  }

  /** The id of an active key, or undefined. A revoked key stops working within CACHE_TTL_MS. */
  async authenticate(key: string): Promise<string | undefined> {
    const hash = hashKey(key);
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.apiKeyId ?? undefined;

    const [row] = await this.db.query<{ id: string }>('SELECT id FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(cacheKey, { apiKeyId: row?.id ?? null, expiresAt: Date.now() + CACHE_TTL_MS });
    return row?.id;
  }
}
