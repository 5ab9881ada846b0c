import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppLogger } from '../logging/app-logger';
import { runInRequestContext } from '../logging/request-context';
import { logCompletedRequest } from '../logging/request-log';
import { createServerWithEarlyResponses } from './early-responses';
import { errorBody } from './error-body';
import { acceptOnlyJsonBodies } from './json-body';
import { arrivedOnInternalPort, createInternalServer } from './internal-listener';
import { isInternalRoute, isServedOnInternalPort } from './internal-paths';
import { requestIdFor } from './request-id';
import { declaredHooks } from './route-hooks';

export const BODY_LIMIT_BYTES = 1024 * 1024;
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpAdapterWithInternalServer {
  adapter: FastifyAdapter;
  /** A second listener that feeds the same Fastify instance, marked as internal. */
  internalServer: Server;
}

function notFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(errorBody(404, `Cannot ${request.method} ${request.url}`, request.id));
}

function onlyOnInternalPort(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (arrivedOnInternalPort(request)) done();
  else notFound(request, reply);
}

function onlyOnPublicPort(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (arrivedOnInternalPort(request)) notFound(request, reply);
  else done();
}

/** Errors Fastify's router answers before any route or hook runs (a bad percent-encoding, a path parameter over maxParamLength), in the one error body. */
function routerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  const known: Record<string, string> = {
    FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than 100 characters',
    FST_ERR_BAD_URL: 'The URL is not valid',
  };
  // Fastify's own messages quote the whole path: not echoed.
  const message = known[error.code] ?? (STATUS_CODES[status] || 'Error');
  void reply
    .code(status)
    .header('x-request-id', request.id)
    .send(errorBody(status, message, request.id));
}

function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  void reply.header('x-request-id', request.id);
  done();
}

/** Keeps each route on the port it belongs to, decided once per route (and its HEAD twin) when it is added. */
function placeOnItsPort(route: RouteOptions): void {
  const guard = isInternalRoute(route.url) ? onlyOnInternalPort : isServedOnInternalPort(route.url) ? undefined : onlyOnPublicPort;
  if (guard === undefined) return;
  route.onRequest = [guard, ...declaredHooks<onRequestHookHandler>(route.onRequest)];
}

/** Nest would add its own JSON and form parsers at init: this adapter's parsers are acceptOnlyJsonBodies'. */
class JsonOnlyFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(): void {}
}

/**
 * One Fastify instance (one DI container, one pool per dependency) behind two listeners: the
 * public port (where EarlyResponses may answer first) and the internal admin port, both with the
 * API's timeouts (http-timeouts.ts). Logs through the app's pino logger: one line per response from
 * an onResponse hook, instead of Fastify's two, with the request id Fastify uses.
 */
export function createHttpAdapter(logger: AppLogger): HttpAdapterWithInternalServer {
  let fastifyHandler: Handler | undefined;
  const adapter = new JsonOnlyFastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    loggerInstance: logger,
    // Request lines come from logCompletedRequest, with the request id: no per-request child logger needed.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent: FastifyBaseLogger) => parent,
    return503OnClosing: false,
    frameworkErrors: routerError,
    forceCloseConnections: 'idle',
    // Fastify sets its own timeout options (keepAliveTimeout, requestTimeout...) only on servers it creates: ours keep theirs.
    serverFactory: (handler: Handler) => {
      fastifyHandler = handler;
      return createServerWithEarlyResponses(handler);
    },
  });
  const internalServer = createInternalServer((req, res) => fastifyHandler?.(req, res));

  const instance = adapter.getInstance();
  acceptOnlyJsonBodies(instance);
  instance.addHook('onRoute', placeOnItsPort);
  instance.addHook('onRequest', echoRequestId);
  instance.addHook('preHandler', runInRequestContext);
  instance.addHook('onResponse', logCompletedRequest);
  return { adapter, internalServer };
}
