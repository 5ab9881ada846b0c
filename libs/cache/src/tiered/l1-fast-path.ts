import { Inject, Injectable, Optional, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, HttpAdapterHost, MetadataScanner } from '@nestjs/core';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { EarlyResponses, QueryParams, RouteParams } from '@app/platform';
import { CACHED_RESPONSE, cacheHeaders, L1_SERVABLE } from './cached-response';
import { TieredCache } from './tiered-cache.service';

/**
 * Decides, from memory only and without waiting, whether a request may be answered from L1 before
 * the framework's pipeline (its guards) runs: the app's own checks (e.g. a known API key within its
 * rate limit). `false` sends the request down the normal path, which decides properly.
 */
export interface CacheAdmission {
  admit(request: IncomingMessage, route: RouteHandler): boolean;
}

/** The controller class and method that serve a route: their metadata says what the route requires. */
export interface RouteHandler {
  controller: object;
  handler: object;
}

interface CachedRoute extends RouteHandler {
  options: { key: (params: RouteParams, query: QueryParams) => string | undefined };
}

export const CACHE_ADMISSION = Symbol('CacheAdmission');

const routeId = (method: string, path: string) => `${method} ${path}`;

const L1_HIT_HEADERS = cacheHeaders('l1');

/**
 * Serves L1 hits of `@CachedResponse` GET routes as early responses (EarlyResponses), before
 * Fastify's request lifecycle and Nest's router, guards and interceptors: a hit costs a route
 * match, a key look-up, the app's admission check and one write. Everything else (misses, L2,
 * refusals) goes through the normal pipeline.
 */
@Injectable()
export class L1FastPath {
  private cachedRoutes: Map<string, CachedRoute> | undefined;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly cache: TieredCache,
    private readonly early: EarlyResponses,
    @Optional() @Inject(CACHE_ADMISSION) private readonly admission?: CacheAdmission,
  ) {
    // Before Nest adds its routes (app.init), so that every cached route is seen, with its path as Fastify has it.
    adapterHost.httpAdapter?.getInstance<FastifyInstance>().addHook('onRoute', (route) => this.attach(route));
  }

  private attach(route: RouteOptions): void {
    const admission = this.admission;
    if (admission === undefined || route.method !== 'GET') return;
    const cached = this.routes().get(routeId('GET', route.url));
    if (cached === undefined) return;
    this.early.registerRoute(route.url, L1_HIT_HEADERS, (params, query, request) => this.bodyFromL1(cached, params, query, request, admission));
  }

  private bodyFromL1(
    { options, ...route }: CachedRoute,
    params: RouteParams,
    query: QueryParams,
    request: IncomingMessage,
    admission: CacheAdmission,
  ): string | undefined {
    // Not counted here: a miss, or a request not admitted, is looked up (and counted) again on the normal path.
    const key = options.key(params, query);
    const body = key === undefined ? undefined : this.cache.localBody(key);
    if (body === undefined || !admission.admit(request, route)) return undefined;
    this.cache.servedFromLocal();
    return body;
  }

  /** `GET /path/:param` -> options and handler, of every controller method decorated with @CachedResponse or @L1Servable (found once). */
  private routes(): Map<string, CachedRoute> {
    if (this.cachedRoutes) return this.cachedRoutes;
    this.cachedRoutes = new Map();
    for (const { metatype, instance } of this.discovery.getControllers()) {
      if (!metatype || !instance) continue;
      const base = Reflect.getMetadata(PATH_METADATA, metatype) as string;
      const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const options = (Reflect.getMetadata(CACHED_RESPONSE, handler) ?? Reflect.getMetadata(L1_SERVABLE, handler)) as
          CachedRoute['options'] | undefined;
        if (options === undefined || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        const path = `/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string]
          .map((part) => part.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        this.cachedRoutes.set(routeId('GET', path), { options, controller: metatype, handler });
      }
    }
    return this.cachedRoutes;
  }
}
