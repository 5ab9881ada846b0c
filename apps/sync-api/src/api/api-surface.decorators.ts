import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ErrorBodyDto } from './error-body.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` lists the bad fields',
  401: 'Missing or invalid credentials',
  404: 'Unknown id',
  409: 'Conflict with the current state',
  413: 'Body larger than 1 MB',
  422: 'Idempotency-Key reused with a different body',
  429: 'Rate limited; see Retry-After',
};

/** Documents the error responses an endpoint can give, all in the one error body. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorBodyDto })),
  );
}

/** A controller of the public API: API key, rate limit per key, read-your-writes bookkeeping. */
export function PublicApi(): ClassDecorator {
  return applyDecorators(
    UseGuards(ApiKeyGuard, ApiKeyThrottlerGuard),
    UseInterceptors(ReadYourWritesInterceptor),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: ERROR_DESCRIPTIONS[401], type: ErrorBodyDto }),
    ApiTooManyRequestsResponse({ description: ERROR_DESCRIPTIONS[429], type: ErrorBodyDto }),
  );
}
