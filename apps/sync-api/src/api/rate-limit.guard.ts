import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitStorage } from '@app/cache';

/**
 * RATE_LIMIT_PER_MINUTE per budget (an API key, a client address), decided in process:
 * RateLimitStorage reconciles the counts with the other instances in the background. Over it: 429
 * with Retry-After.
 */
@Injectable()
export abstract class RateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimitStorage) {}

  /** The budget this request is counted against. */
  protected abstract budgetOf(request: FastifyRequest): string;

  /** Who is refused, for the 429's message (e.g. "this API key"). */
  protected abstract readonly refused: string;

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const verdict = this.limits.hit(this.budgetOf(http.getRequest<FastifyRequest>()));
    if (verdict.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(Math.max(1, Math.ceil(verdict.msUntilReset / 1000))));
    throw new HttpException(`Too many requests for ${this.refused}; retry after Retry-After seconds`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
