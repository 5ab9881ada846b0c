import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { QueryParams, RouteParams } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable, of } from 'rxjs';
import { CacheOutcome, TieredCache } from './tiered-cache.service';

export interface CachedResponseOptions {
  /**
   * The cache key of a response, from the route's parameters and raw query (before validation: a bad
   * one fails the handler, and errors are never cached). Normalise them: one value, one key.
   */
  key: (params: RouteParams, query: QueryParams) => string;
  /** The tags whose invalidation drops the response. */
  tags: (params: RouteParams, query: QueryParams) => string[];
  ttlSeconds: number;
}

export const CACHED_RESPONSE = Symbol('cachedResponse');
export const L1_SERVABLE = Symbol('l1Servable');

/**
 * For a handler that reads through the cache itself (its key needs a look-up first, e.g. a SKU
 * resolved to an id): the fast path still serves L1 hits of the key `key` gives from the request
 * alone (undefined: none, the handler decides).
 */
export function L1Servable(key: (params: RouteParams, query: QueryParams) => string | undefined): MethodDecorator {
  return SetMetadata(L1_SERVABLE, { key });
}
const JSON_CONTENT = 'application/json; charset=utf-8';
const HEADER_OF: Record<CacheOutcome, string> = { l1: 'HIT', l2: 'HIT', miss: 'MISS' };

/**
 * Serves the route's successful JSON response from the cache: `X-Cache: HIT|MISS`, and
 * `X-Cache-Tier: l1|l2|db` for which tier answered. An L1 hit sends the body serialised when it
 * was cached. Errors are never cached.
 */
export function CachedResponse(options: CachedResponseOptions): MethodDecorator {
  return applyDecorators(SetMetadata(CACHED_RESPONSE, options), UseInterceptors(CachedResponseInterceptor));
}

@Injectable()
export class CachedResponseInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: TieredCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<string> {
    const options = this.reflector.get<CachedResponseOptions>(CACHED_RESPONSE, context.getHandler());
    const http = context.switchToHttp();
    const { params, query } = http.getRequest<FastifyRequest<{ Params: RouteParams; Querystring: QueryParams }>>();
    const reply = http.getResponse<FastifyReply>();
    const key = options.key(params, query);
    const local = this.cache.peekLocal(key);
    if (local !== undefined) return of(asCachedJson(reply, local, 'l1'));
    const cached = this.cache.readThrough({
      key,
      tags: options.tags(params, query),
      ttlMs: options.ttlSeconds * 1000,
      load: () => lastValueFrom(next.handle()),
    });
    return from(cached).pipe(map((result) => asCachedJson(reply, result.body, result.from)));
  }
}

/** The headers of a body served through the cache, by `outcome`: flat names and values. */
export function cacheHeaders(outcome: CacheOutcome): readonly string[] {
  return ['x-cache', HEADER_OF[outcome], 'x-cache-tier', outcome === 'miss' ? 'db' : outcome, 'content-type', JSON_CONTENT];
}

/** Sets the cache headers and the JSON content type of a body served through the cache; returns the body. */
export function asCachedJson(reply: FastifyReply, body: string, outcome: CacheOutcome): string {
  const headers = cacheHeaders(outcome);
  for (let i = 0; i < headers.length; i += 2) void reply.header(headers[i], headers[i + 1]);
  return body;
}
