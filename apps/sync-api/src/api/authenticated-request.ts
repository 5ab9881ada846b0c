import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export type AuthenticatedRequest = FastifyRequest & { apiKeyId: string; salesChannel: string };

/** The id of the API key that made the request (set by ApiKeyGuard). */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().apiKeyId,
);

/** The sales channel of the API key that made the request (set by ApiKeyGuard). */
export const CallerSalesChannel = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().salesChannel,
);
