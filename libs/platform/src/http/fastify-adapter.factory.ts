import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorBody } from './error-body';
import { isInternalRoute, isServedOnInternalPort } from './internal-paths';
import { requestIdFor } from './request-id';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const ARRIVED_ON_INTERNAL_PORT = Symbol('arrivedOnInternalPort');

type RawRequest = IncomingMessage & { [ARRIVED_ON_INTERNAL_PORT]?: true };
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpAdapterWithInternalServer {
  adapter: FastifyAdapter;
  /** A second listener that feeds the same Fastify instance, marked as internal. */
  internalServer: Server;
}

function notFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(errorBody(404, `Cannot ${request.method} ${request.url}`, request.id));
}

/**
 * One Fastify instance (one DI container, one pool per dependency) behind two listeners: the
 * public port and the internal admin port. A hook keeps each route on the port it belongs to.
 */
export function createHttpAdapter(): HttpAdapterWithInternalServer {
  let fastifyHandler: Handler | undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    serverFactory: (handler: Handler) => {
      fastifyHandler = handler;
      return createServer(handler);
    },
  });
  const internalServer = createServer((req, res) => {
    (req as RawRequest)[ARRIVED_ON_INTERNAL_PORT] = true;
    fastifyHandler?.(req, res);
  });

  const instance = adapter.getInstance();
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const route = request.routeOptions.url;
    if (route !== undefined) {
      const internal = (request.raw as RawRequest)[ARRIVED_ON_INTERNAL_PORT] === true;
      if (internal ? !isServedOnInternalPort(route) : isInternalRoute(route)) return notFound(request, reply);
    }
    done();
  });
  return { adapter, internalServer };
}
