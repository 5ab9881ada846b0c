import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AccessScope, ApiKeyIdentity } from '@app/data';
import type { FastifyRequest } from 'fastify';

export type AuthenticatedRequest = FastifyRequest & { apiKey: ApiKeyIdentity };

const callerKey = (context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;

/** The id of the API key that made the request (set by ApiKeyGuard). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => callerKey(context).apiKeyId);

/** The sales channel of the API key that made the request (set by ApiKeyGuard). */
export const CallerSalesChannel = createParamDecorator((_data: unknown, context: ExecutionContext) => callerKey(context).salesChannel);

/** The channels and facilities the API key that made the request reaches (set by ApiKeyGuard). */
export const CallerScope = createParamDecorator((_data: unknown, context: ExecutionContext): AccessScope => {
  const { channels, facilities } = callerKey(context);
  return { channels, facilities };
});
