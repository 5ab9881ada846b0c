import { Inject, Injectable } from '@nestjs/common';
import { CacheAdmission, RateLimitStorage } from '@app/cache';
import { ApiKeysService } from '@app/data';
import { APP_CONFIG, AppConfig, bearerToken } from '@app/platform';
import type { FastifyRequest } from 'fastify';

/**
 * The public API's guards, decided from memory for the cache's fast path: a key this instance
 * already knows to be active, within its rate limit (the hit is counted). Anything else (a key not
 * seen yet, a refusal) goes through ApiKeyGuard and ApiKeyRateLimitGuard, which answer 401 or 429.
 */
@Injectable()
export class ApiKeyCacheAdmission implements CacheAdmission {
  private readonly limited: boolean;

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limited = config.rateLimitPerMinute > 0;
  }

  admit(request: FastifyRequest): boolean {
    const key = bearerToken(request);
    const identity = key === undefined ? undefined : this.apiKeys.knownIdentity(key);
    if (identity === undefined) return false;
    return !this.limited || this.limits.hit(identity.apiKeyId).allowed;
  }
}
