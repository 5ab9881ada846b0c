import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The token of an `Authorization: Bearer` header, of a Fastify request or a raw one. */
export function bearerToken(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Whether a presented token is the admin token, compared in constant time: digests have one length,
 * so neither the comparison nor its refusal tells how much of a guess was right.
 */
export function adminTokenMatcher(adminToken: string): (presented: string | undefined) => boolean {
  const expected = digest(adminToken);
  return (presented) => presented !== undefined && timingSafeEqual(digest(presented), expected);
}

@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly isAdminToken: (presented: string | undefined) => boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.isAdminToken = adminTokenMatcher(config.admin.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.isAdminToken(bearerToken(context.switchToHttp().getRequest<FastifyRequest>()))) {
      throw new UnauthorizedException('Missing or invalid admin token');
    }
    return true;
  }
}
