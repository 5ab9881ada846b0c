import { applyDecorators, NestInterceptor, RequestMethod, SetMetadata, Type, UseGuards, UseInterceptors } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ApiKeyRateLimitGuard } from './api-key-rate-limit.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ErrorBodyDto } from './error-body.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

/** Names of the security schemes of the document (see openapi.ts). */
export const API_KEY_AUTH = 'api-key';
export const ADMIN_TOKEN_AUTH = 'admin-token';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` lists the bad fields',
  401: 'Missing or invalid credentials',
  404: 'Unknown id',
  409: 'Conflict with the current state',
  413: 'Body larger than 1 MB',
  422: 'Idempotency-Key reused with a different body',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency (the database) is unavailable; retry after Retry-After seconds',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};
const STATUSES_WITH_RETRY_AFTER = new Set([429, 503]);

/** Documents the error responses an endpoint can give, all in the one error body. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        type: ErrorBodyDto,
        ...(STATUSES_WITH_RETRY_AFTER.has(status) ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

const READ_METHODS = new Set([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * Interceptors on the controller's write handlers only: a handler without interceptors skips
 * Nest's interceptor chain (rxjs and an AsyncResource per interceptor) altogether.
 */
function UseInterceptorsOnWrites(...interceptors: Type<NestInterceptor>[]): ClassDecorator {
  return (controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      const method =
        descriptor?.value === undefined ? undefined : (Reflect.getMetadata(METHOD_METADATA, descriptor.value) as RequestMethod | undefined);
      if (method !== undefined && !READ_METHODS.has(method)) UseInterceptors(...interceptors)(prototype, name, descriptor!);
    }
  };
}

const PUBLIC_API = Symbol('publicApi');

const CHANNEL_SCOPED = Symbol('channelScoped');

/** A route whose answer belongs to the channel in its path: a key restricted to other channels must not get it from the cache's fast path. */
export const ChannelScoped = (): MethodDecorator => SetMetadata(CHANNEL_SCOPED, true);

export const isChannelScoped = (handler: object): boolean => Reflect.getMetadata(CHANNEL_SCOPED, handler) === true;

/** Whether the controller is one of the public API's, guarded by an API key (@PublicApi). */
export const isPublicApi = (controller: object): boolean => Reflect.getMetadata(PUBLIC_API, controller) === true;

/** A controller of the public API: API key, rate limit per key, read-your-writes bookkeeping after writes. */
export function PublicApi(): ClassDecorator {
  return applyDecorators(
    SetMetadata(PUBLIC_API, true),
    UseGuards(ApiKeyGuard, ApiKeyRateLimitGuard),
    UseInterceptorsOnWrites(ReadYourWritesInterceptor),
    ApiBearerAuth(API_KEY_AUTH),
    ApiErrors(401, 429, 503),
  );
}
