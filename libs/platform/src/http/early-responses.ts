import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyBaseLogger, FastifyInstance, FastifyRouterOptions } from 'fastify';
import FindMyWay from 'find-my-way';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { logRequestLine } from '../logging/request-log';
import { HttpMetrics } from '../metrics/http-metrics';
import { createServerWithTimeouts } from './http-timeouts';
import { requestIdFor } from './request-id';

/** A route's parameters by name (a matched route has all of its own). */
export type RouteParams = Record<string, string>;
/** A query string parsed as Fastify parses it. */
export type QueryParams = Record<string, string | string[] | undefined>;

/** The 200 body of a GET answered early, or undefined to let Fastify serve the request. Synchronous, from memory. */
export type EarlyBody = (params: RouteParams, query: QueryParams, request: IncomingMessage) => string | undefined;

interface EarlyRoute {
  /** The route's pattern, as Fastify has it (the metrics' route label). */
  path: string;
  /** Flat header names and values, sent with every early answer of the route. */
  headers: readonly string[];
  body: EarlyBody;
}

type SemicolonOption = { useSemicolonDelimiter?: boolean };
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** Answers a request (true) or leaves it to Fastify (false). */
type EarlyResponder = (req: IncomingMessage, res: ServerResponse) => boolean;

const EARLY_RESPONDER = Symbol('earlyResponder');
type ServerWithEarlyResponder = Server & { [EARLY_RESPONDER]: EarlyResponder | undefined };

/** A server (with the API's timeouts) for Fastify's `handler` that first offers each request to its early responder, once one is set. */
export function createServerWithEarlyResponses(handler: Handler): Server {
  const server: ServerWithEarlyResponder = Object.assign(
    createServerWithTimeouts((req, res) => {
      const early = server[EARLY_RESPONDER];
      if (early === undefined || !early(req, res)) handler(req, res);
    }),
    { [EARLY_RESPONDER]: undefined },
  );
  return server;
}

/**
 * GET routes whose answer can come from memory (an L1 cache hit) are answered as the request arrives,
 * before Fastify builds its request and reply and runs its hooks, and before Nest's pipeline. Each
 * early answer still gets what every response gets: the request id, the request log line and the
 * duration metric of its route. Routes match as in Fastify: the same router (find-my-way), with the
 * same options. Anything else, and any body function that declines or throws, goes to Fastify.
 */
@Injectable()
export class EarlyResponses {
  private readonly router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  private readonly logger: FastifyBaseLogger;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly metrics: HttpMetrics,
  ) {
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // What decides whether and how a URL matches, as Fastify's router has it (unset: both have the same defaults).
    // useSemicolonDelimiter is an option of find-my-way that its type declarations leave out.
    const fastifyRouter: FastifyRouterOptions<Server> & SemicolonOption = fastify.initialConfig.routerOptions ?? {};
    const { caseSensitive, ignoreTrailingSlash, ignoreDuplicateSlashes, maxParamLength, useSemicolonDelimiter, querystringParser } = fastifyRouter;
    const sameAsFastify: FindMyWay.Config<FindMyWay.HTTPVersion.V1> & SemicolonOption = {
      caseSensitive,
      ignoreTrailingSlash,
      ignoreDuplicateSlashes,
      maxParamLength,
      useSemicolonDelimiter,
      querystringParser,
    };
    this.router = FindMyWay(sameAsFastify);
    this.logger = fastify.log;
    const server = adapterHost.httpAdapter.getHttpServer() as Partial<ServerWithEarlyResponder>;
    if (!(EARLY_RESPONDER in server)) throw new Error('EarlyResponses needs the HTTP server of createHttpAdapter');
    server[EARLY_RESPONDER] = (req, res) => this.respond(req, res);
  }

  /** Lets `body` answer GET `path` (Fastify's route syntax) with 200 and `headers` (flat names and values, the content type among them). */
  registerRoute(path: string, headers: readonly string[], body: EarlyBody): void {
    const route: EarlyRoute = { path, headers, body };
    this.router.on('GET', path, () => undefined, route);
  }

  private respond(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET') return false;
    const started = performance.now();
    const url = req.url ?? '/';
    let route: EarlyRoute;
    let body: string | undefined;
    try {
      const match = this.router.find('GET', url);
      if (match === null) return false;
      route = match.store as EarlyRoute;
      body = route.body(match.params as RouteParams, match.searchParams as QueryParams, req);
    } catch (error) {
      this.logger.warn({ err: error, url }, 'early response failed; Fastify serves the request');
      return false;
    }
    if (body === undefined) return false;
    const requestId = requestIdFor(req);
    res.writeHead(200, [...route.headers, 'x-request-id', requestId, 'content-length', String(Buffer.byteLength(body))]);
    res.end(body);
    const elapsedMs = performance.now() - started;
    logRequestLine(this.logger, { reqId: requestId, method: 'GET', url, statusCode: 200, responseTime: elapsedMs });
    this.metrics.observe('GET', route.path, 200, elapsedMs / 1000);
    return true;
  }
}
