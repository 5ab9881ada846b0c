import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InvalidInputError, NotFoundError, throttledWarning } from '@app/platform';
import { LRUCache } from 'lru-cache';
import { hash, randomBytes } from 'node:crypto';
import { ApiKeyRestrictions, UNRESTRICTED } from './api-key-access';
import { ApiKeyIdentity, ApiKeyRecord, ApiKeysRepository, RevokedApiKey } from './api-keys.repository';

export type { ApiKeyIdentity, ApiKeyRecord } from './api-keys.repository';

const CACHE_MAX_ENTRIES = 10_000;
const KNOWN_KEY_TTL_MS = 10 * 60_000;
const UNKNOWN_KEY_TTL_MS = 30_000;
/** Every instance looks for keys revoked elsewhere this often: a revoked key is refused everywhere within about this. */
export const REVOCATION_POLL_MS = 500;
/** Each poll looks back this far before the newest revocation it saw: one committed late (its time set before a later one's) is not missed. */
const REVOCATION_OVERLAP_MS = 5_000;

export interface NewApiKey extends Partial<ApiKeyRestrictions> {
  name: string;
  /** Defaults to the first of `channels`, else to `name`. */
  salesChannel?: string;
}

export interface CreatedApiKey extends ApiKeyRecord {
  /** Shown once: only its hash is stored. */
  key: string;
}

/** The SHA-256 of a key (stored as bytes), in base64: the in-process cache's key. One-shot, no Hash object per request. */
const hashKey = (key: string) => hash('sha256', key, 'base64');

@Injectable()
export class ApiKeysService implements OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly warnThrottled = throttledWarning(this.logger);
  /** Hash -> the key's identity, or null for an unknown or revoked hash (refused without a query). */
  private readonly cache = new LRUCache<string, ApiKeyIdentity | false>({ max: CACHE_MAX_ENTRIES, ttl: KNOWN_KEY_TTL_MS });
  private revocationPoll: NodeJS.Timeout | undefined;
  private revokedUntil = new Date(0);

  constructor(private readonly apiKeys: ApiKeysRepository) {}

  /** A key of a sales channel, restricted as asked (unrestricted by default). */
  async create(input: NewApiKey): Promise<CreatedApiKey> {
    const restrictions: ApiKeyRestrictions = {
      permissions: input.permissions ?? UNRESTRICTED.permissions,
      channels: input.channels ?? UNRESTRICTED.channels,
      facilities: input.facilities ?? UNRESTRICTED.facilities,
    };
    const salesChannel = input.salesChannel ?? restrictions.channels?.[0] ?? input.name;
    if (restrictions.channels !== null && !restrictions.channels.includes(salesChannel)) {
      throw new InvalidInputError('salesChannel must be one of channels', [{ field: 'salesChannel', message: 'must be one of channels' }]);
    }
    const unknown = restrictions.facilities === null ? [] : await this.apiKeys.unknownFacilities(restrictions.facilities);
    if (unknown.length > 0) {
      throw new InvalidInputError(`unknown facilities: ${unknown.join(', ')}`, [{ field: 'facilities', message: 'must name existing facilities' }]);
    }
    const key = `oms_${randomBytes(32).toString('base64url')}`;
    return { ...(await this.apiKeys.insert(input.name, salesChannel, Buffer.from(hashKey(key), 'base64'), restrictions)), key };
  }

  /** The key's record, with its restrictions (never the key). */
  async get(id: string): Promise<ApiKeyRecord> {
    const record = await this.apiKeys.findById(id);
    if (record === undefined) throw new NotFoundError(`API key ${id} not found`);
    return record;
  }

  /** The active key, its sales channel and restrictions, or undefined. Served from memory; a revoked key is refused within REVOCATION_POLL_MS. */
  async authenticate(key: string): Promise<ApiKeyIdentity | undefined> {
    const cacheKey = hashKey(key);
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached === false ? undefined : cached;

    this.pollRevocations();
    const identity = await this.apiKeys.findActiveByHash(Buffer.from(cacheKey, 'base64'));
    this.cache.set(cacheKey, identity ?? false, identity === undefined ? { ttl: UNKNOWN_KEY_TTL_MS } : undefined);
    return identity;
  }

  /** The identity of a key this instance has already checked, without waiting; undefined when it must be asked with `authenticate`. */
  knownIdentity(key: string): ApiKeyIdentity | undefined {
    return this.cache.get(hashKey(key)) || undefined;
  }

  /** Revokes the key: refused here at once, by the other instances at their next poll. */
  async revoke(id: string): Promise<void> {
    const revoked = await this.apiKeys.revoke(id);
    if (revoked === undefined) throw new NotFoundError(`API key ${id} not found`);
    this.forget([revoked]);
  }

  onApplicationShutdown(): void {
    clearInterval(this.revocationPoll);
  }

  /** Started by the first key checked, so a process that never authenticates (the worker) never polls. */
  private pollRevocations(): void {
    this.revocationPoll ??= setInterval(
      () => void this.forgetRevokedKeys().catch((error: Error) => this.warnThrottled(`cannot read revoked API keys: ${error.message}`)),
      REVOCATION_POLL_MS,
    ).unref();
  }

  private async forgetRevokedKeys(): Promise<void> {
    this.forget(await this.apiKeys.findRevokedSince(new Date(this.revokedUntil.getTime() - REVOCATION_OVERLAP_MS)));
  }

  private forget(revoked: RevokedApiKey[]): void {
    for (const { keyHash, revokedAt } of revoked) {
      this.cache.delete(keyHash.toString('base64'));
      if (revokedAt > this.revokedUntil) this.revokedUntil = revokedAt;
    }
  }
}
