import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './authenticated-request';

/** Limits per API key (not per IP: many stores share one egress address). Runs after ApiKeyGuard. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve((request as unknown as AuthenticatedRequest).apiKeyId);
  }
}
