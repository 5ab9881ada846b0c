import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onResponseHookHandler, RouteOptions } from 'fastify';
import { Histogram } from 'prom-client';
import { declaredHooks } from '../http/route-hooks';
import { MetricsRegistry } from './metrics.registry';

/**
 * Request duration by route pattern (not raw URL, so ids do not explode the label set). Each route
 * observes its own requests from a hook added when the route is added, so the route's pattern is
 * known without reading it per request; requests that match no route are observed as `unmatched`.
 */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: MetricsRegistry, adapterHost: HttpAdapterHost) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    // Before Nest adds its routes (app.init), so that every route gets its hook.
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRoute', (route) => this.observeRoute(route));
    fastify?.addHook('onResponse', (request, reply, done) => {
      if (request.is404) this.observe(request.method, 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  /** One answered request of `route` (its pattern), for requests answered outside Fastify's hooks too. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.duration.observe({ method, route, status: String(statusCode) }, seconds);
  }

  private observeRoute(route: RouteOptions): void {
    const [method, path] = [String(route.method), route.url];
    const observe = (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      this.observe(method, path, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = [...declaredHooks<onResponseHookHandler>(route.onResponse), observe];
  }
}
