import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ApiKeyIdentity, ApiKeysRepository } from './api-keys.repository';

export type { ApiKeyIdentity } from './api-keys.repository';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface CreatedApiKey {
  id: string;
  name: string;
  salesChannel: string;
  /** Shown once: only its hash is stored. */
  key: string;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest();

@Injectable()
export class ApiKeysService {
  /** Hash -> key (or null for unknown keys), so the hot path does not query on every request. */
  private readonly cache = new Map<string, { identity: ApiKeyIdentity | null; expiresAt: number }>();

  constructor(private readonly apiKeys: ApiKeysRepository) {}

  /** A key of the sales channel (by default a channel named like the key). */
  async create(name: string, salesChannel = name): Promise<CreatedApiKey> {
    const key = `oms_${randomBytes(32).toString('base64url')}`;
    return { ...(await this.apiKeys.insert(name, salesChannel, hashKey(key))), key };
  }

  /** The active key and its sales channel, or undefined. A revoked key stops working within CACHE_TTL_MS. */
  async authenticate(key: string): Promise<ApiKeyIdentity | undefined> {
    const hash = hashKey(key);
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.identity ?? undefined;

    const identity = await this.apiKeys.findActiveByHash(hash);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(cacheKey, { identity: identity ?? null, expiresAt: Date.now() + CACHE_TTL_MS });
    return identity;
  }
}
