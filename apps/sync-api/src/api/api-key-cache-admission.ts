import { Injectable } from '@nestjs/common';
import { CacheAdmission, RateLimitStorage, RouteHandler } from '@app/cache';
import { ApiKeysService } from '@app/data';
import { bearerToken } from '@app/platform';
import type { IncomingMessage } from 'node:http';
import { isChannelScoped, isPublicApi } from './api-surface.decorators';
import { apiKeyRefusal } from './api-key.guard';

/**
 * The public API's guards, decided from memory for the cache's fast path: a route of a @PublicApi
 * controller (others, such as /reports/data with its budget per client address, take the normal
 * path), a key this instance already knows to be active, allowed the route by the guard's own rule
 * (apiKeyRefusal), within its rate limit (the hit is counted). Anything else (a key not seen yet, a
 * refusal) goes through ApiKeyGuard and ApiKeyRateLimitGuard, which answer 401, 403 or 429.
 */
@Injectable()
export class ApiKeyCacheAdmission implements CacheAdmission {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitStorage,
  ) {}

  admit(request: IncomingMessage, route: RouteHandler): boolean {
    if (!isPublicApi(route.controller)) return false;
    const key = bearerToken(request);
    const identity = key === undefined ? undefined : this.apiKeys.knownIdentity(key);
    if (identity === undefined || apiKeyRefusal(identity, route) !== undefined) return false;
    // The route's answer depends on the channel in its path, which only the handler checks against the key's channels.
    if (identity.channels !== null && isChannelScoped(route.handler)) return false;
    return this.limits.hit(identity.apiKeyId).allowed;
  }
}
