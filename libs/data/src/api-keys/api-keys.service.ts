import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ApiKeysRepository } from './api-keys.repository';

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

  constructor(private readonly apiKeys: ApiKeysRepository) {}

  async create(name: string): Promise<CreatedApiKey> {
    const key = `oms_${randomBytes(32).toString('base64url')}`;
    return { ...(await this.apiKeys.insert(name, hashKey(key))), key };
  }

  /** The id of an active key, or undefined. A revoked key stops working within CACHE_TTL_MS. */
  async authenticate(key: string): Promise<string | undefined> {
    const hash = hashKey(key);
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.apiKeyId ?? undefined;

    const apiKeyId = await this.apiKeys.findActiveIdByHash(hash);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(cacheKey, { apiKeyId: apiKeyId ?? null, expiresAt: Date.now() + CACHE_TTL_MS });
    return apiKeyId;
  }
}
