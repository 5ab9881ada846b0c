import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitStorage } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/platform';

/**
 * RATE_LIMIT_PER_MINUTE per client address for routes without an API key, counted with the API
 * keys' counters (shared by all instances). The address is the TCP peer's: a forwarded-for header
 * could be forged, so behind the load balancer all clients share the balancer's budget.
 */
@Injectable()
export class ClientAddressRateLimitGuard implements CanActivate {
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
    const verdict = this.limits.hit(`address:${http.getRequest<FastifyRequest>().ip}`);
    if (verdict.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(Math.max(1, Math.ceil(verdict.msUntilReset / 1000))));
    throw new HttpException('Too many requests from this address; retry after Retry-After seconds', HttpStatus.TOO_MANY_REQUESTS);
  }
}
