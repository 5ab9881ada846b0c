import { Injectable } from '@nestjs/common';
import { CacheAdmission, RateLimitStorage } from '@app/cache';
import { ApiKeysService } from '@app/data';
import { bearerToken } from '@app/platform';
import type { IncomingMessage } from 'node:http';

/** The routes of @PublicApi controllers, guarded by an API key. Other cached routes (/reports/data: a budget per client address) take the normal path. */
const PUBLIC_API_ROUTES = '/api/v1/';

/**
 * The public API's guards, decided from memory for the cache's fast path: a key this instance
 * already knows to be active, within its rate limit (the hit is counted). Anything else (a key not
 * seen yet, a refusal) goes through ApiKeyGuard and ApiKeyRateLimitGuard, which answer 401 or 429.
 */
@Injectable()
export class ApiKeyCacheAdmission implements CacheAdmission {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitStorage,
  ) {}

  admit(request: IncomingMessage, route: string): boolean {
    if (!route.startsWith(PUBLIC_API_ROUTES)) return false;
    const key = bearerToken(request);
    const identity = key === undefined ? undefined : this.apiKeys.knownIdentity(key);
    if (identity === undefined) return false;
    return this.limits.hit(identity.apiKeyId).allowed;
  }
}
