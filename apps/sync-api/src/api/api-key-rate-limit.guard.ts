import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from './authenticated-request';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * One budget per API key across every route and instance (not per IP: many stores share one
 * egress address; not per route: the limit protects the system, whatever is called).
 */
@Injectable()
export class ApiKeyRateLimitGuard extends RateLimitGuard {
  protected readonly refused = 'this API key';

  protected budgetOf(request: FastifyRequest): string {
    return (request as AuthenticatedRequest).apiKey.apiKeyId;
  }
}
