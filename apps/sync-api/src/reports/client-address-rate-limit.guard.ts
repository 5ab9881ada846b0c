import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RateLimitGuard } from '../api/rate-limit.guard';

/**
 * One budget per client address for routes without an API key, counted with the API keys'
 * counters (shared by all instances). The address is the TCP peer's: a forwarded-for header could
 * be forged, so behind the load balancer all clients share the balancer's budget.
 */
@Injectable()
export class ClientAddressRateLimitGuard extends RateLimitGuard {
  protected readonly refused = 'this address';

  protected budgetOf(request: FastifyRequest): string {
    return `address:${request.ip}`;
  }
}
