import type { FastifyRequest } from 'fastify';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServerWithTimeouts } from './http-timeouts';

const ARRIVED_ON_INTERNAL_PORT = Symbol('arrivedOnInternalPort');

type MarkedRequest = IncomingMessage & { [ARRIVED_ON_INTERNAL_PORT]?: true };

/**
 * A listener that only the platform reaches (sync-api's internal port, the async-worker's health
 * port): each request is marked as arrived there, so that what it may see (internal routes, the
 * full readiness details) is decided by the port, not by anything the client sends.
 */
export function createInternalServer(handler: RequestListener): Server {
  return createServerWithTimeouts((req, res) => {
    (req as MarkedRequest)[ARRIVED_ON_INTERNAL_PORT] = true;
    handler(req, res);
  });
}

export function arrivedOnInternalPort(request: FastifyRequest): boolean {
  return (request.raw as MarkedRequest)[ARRIVED_ON_INTERNAL_PORT] === true;
}
