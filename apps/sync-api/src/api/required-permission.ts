import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { RouteHandler } from '@app/cache';
import type { ApiPermission } from '@app/data';
import { ErrorBodyDto } from './error-body.dto';

const REQUIRED_PERMISSION = Symbol('requiredPermission');

/**
 * The permission an API key needs to call the route, or every route of the controller (403 without
 * it). A route without one is open to every key. Read by ApiKeyGuard and by the cache's early path
 * alike (apiKeyRefusal).
 */
export function RequiresPermission(permission: ApiPermission): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiResponse({ status: 403, type: ErrorBodyDto, description: `The API key lacks the permission \`${permission}\`` }),
  );
}

export function requiredPermission({ handler, controller }: RouteHandler): ApiPermission | undefined {
  return (Reflect.getMetadata(REQUIRED_PERMISSION, handler) ?? Reflect.getMetadata(REQUIRED_PERMISSION, controller)) as ApiPermission | undefined;
}
