import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RateLimitStorage } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/platform';
import type { AuthenticatedRequest } from './authenticated-request';

/**
 * One budget per API key across every route and instance (not per IP: many stores share one
 * egress address; not per route: the limit protects the system, whatever is called). Decided in
 * process (RateLimitStorage reconciles with the other instances in the background).
 */
@Injectable()
export class ApiKeyRateLimitGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly limits: RateLimitStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.enabled = config.rateLimitPerMinute > 0;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.enabled) return true;
    const http = context.switchToHttp();
    const verdict = this.limits.hit(http.getRequest<AuthenticatedRequest>().apiKeyId);
    if (verdict.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(Math.max(1, Math.ceil(verdict.msUntilReset / 1000))));
    throw new HttpException('Too many requests for this API key; retry after Retry-After seconds', HttpStatus.TOO_MANY_REQUESTS);
  }
}
