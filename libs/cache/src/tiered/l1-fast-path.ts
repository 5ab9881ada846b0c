import { Inject, Injectable, Optional, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, HttpAdapterHost, MetadataScanner } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler, RouteOptions } from 'fastify';
import { declaredHooks } from '@app/platform';
import { asCachedJson, CACHED_RESPONSE, CachedResponseOptions } from './cached-response';
import { TieredCache } from './tiered-cache.service';

/**
 * Decides, from memory only and without waiting, whether a request may be answered from L1 before
 * the framework's pipeline (its guards) runs: the app's own checks (e.g. a known API key within its
 * rate limit). `false` sends the request down the normal path, which decides properly.
 */
export interface CacheAdmission {
  admit(request: FastifyRequest): boolean;
}

export const CACHE_ADMISSION = Symbol('CacheAdmission');

type Request = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | string[] | undefined> }>;

const routeId = (method: string, path: string) => `${method} ${path}`;

/**
 * Serves L1 hits of `@CachedResponse` GET routes from a Fastify hook, before Nest's router,
 * guards and interceptors: a hit costs a key look-up, the app's admission check and one write.
 * Everything else (misses, L2, refusals) goes through the normal pipeline.
 */
@Injectable()
export class L1FastPath {
  private cachedRoutes: Map<string, CachedResponseOptions> | undefined;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly cache: TieredCache,
    @Optional() @Inject(CACHE_ADMISSION) private readonly admission?: CacheAdmission,
  ) {
    // Before Nest adds its routes (app.init), so that every cached route gets the hook.
    adapterHost.httpAdapter?.getInstance<FastifyInstance>().addHook('onRoute', (route) => this.attach(route));
  }

  private attach(route: RouteOptions): void {
    if (this.admission === undefined || route.method !== 'GET') return;
    const options = this.routes().get(routeId('GET', route.url));
    if (options === undefined) return;
    route.onRequest = [
      ...declaredHooks<onRequestHookHandler>(route.onRequest),
      (request, reply, done) => this.serveFromL1(request as Request, reply, done, options),
    ];
  }

  private serveFromL1(request: Request, reply: FastifyReply, done: HookHandlerDoneFunction, options: CachedResponseOptions): void {
    // Not counted here: a miss, or a request not admitted, is looked up (and counted) again on the normal path.
    const body = this.cache.localBody(options.key(request.params, request.query));
    if (body === undefined || !this.admission!.admit(request)) return done();
    this.cache.servedFromLocal();
    void reply.send(asCachedJson(reply, body, 'l1'));
  }

  /** `GET /path/:param` -> options, of every controller method decorated with @CachedResponse (found once). */
  private routes(): Map<string, CachedResponseOptions> {
    if (this.cachedRoutes) return this.cachedRoutes;
    this.cachedRoutes = new Map();
    for (const { metatype, instance } of this.discovery.getControllers()) {
      if (!metatype || !instance) continue;
      const base = Reflect.getMetadata(PATH_METADATA, metatype) as string;
      const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const options = Reflect.getMetadata(CACHED_RESPONSE, handler) as CachedResponseOptions | undefined;
        if (options === undefined || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        const path = `/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string]
          .map((part) => part.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        this.cachedRoutes.set(routeId('GET', path), options);
      }
    }
    return this.cachedRoutes;
  }
}
