import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ApiKeysService } from '@app/data';
import { bearerToken } from '@app/platform';
import type { AuthenticatedRequest } from './authenticated-request';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(request);
    const identity = key === undefined ? undefined : await this.apiKeys.authenticate(key);
    if (identity === undefined) throw new UnauthorizedException('Missing or invalid API key');
    request.apiKeyId = identity.apiKeyId;
    request.salesChannel = identity.salesChannel;
    return true;
  }
}
