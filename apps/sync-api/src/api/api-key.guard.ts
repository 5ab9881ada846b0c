import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { RouteHandler } from '@app/cache';
import { ApiKeyIdentity, ApiKeysService, missingPermission } from '@app/data';
import { bearerToken } from '@app/platform';
import type { AuthenticatedRequest } from './authenticated-request';
import { requiredPermission } from './required-permission';

/** Why the key may not call the route, or undefined: the one rule of the guard and of the cache's early path (ApiKeyCacheAdmission). */
export function apiKeyRefusal(identity: ApiKeyIdentity, route: RouteHandler): string | undefined {
  const missing = missingPermission(identity, requiredPermission(route));
  return missing === undefined ? undefined : `this API key lacks the permission ${missing}`;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(request);
    const identity = key === undefined ? undefined : await this.apiKeys.authenticate(key);
    if (identity === undefined) throw new UnauthorizedException('Missing or invalid API key');
    const refusal = apiKeyRefusal(identity, { controller: context.getClass(), handler: context.getHandler() });
    if (refusal !== undefined) throw new ForbiddenException(refusal);
    request.apiKey = identity;
    return true;
  }
}
