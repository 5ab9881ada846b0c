import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { bearerToken, errorBody } from '@app/platform';

type Headers = Pick<IncomingMessage, 'headers'>;

/** The password of an `Authorization: Basic` header; the user name is not checked. */
export function basicAuthPassword(request: Headers): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon < 0 ? undefined : credentials.slice(colon + 1);
}

/**
 * The admin token as a script or a browser presents it. The internal pages (the queue board, the
 * internal API's Swagger UI) load their assets and call their JSON APIs themselves, with no header of
 * our choosing, so they also take HTTP Basic credentials with the admin token as the password: the
 * browser asks for them once, then sends them with every request to this origin (port included),
 * and nothing is stored on the server.
 */
export function presentedAdminToken(request: Headers): string | undefined {
  return bearerToken(request) ?? basicAuthPassword(request);
}

/**
 * 401 with a Basic challenge (so that a browser asks) unless the request presents the admin token.
 * One realm for every internal page, so that a browser asks once for all of them.
 */
export function requireAdminToken(isAdminToken: (presented: string | undefined) => boolean): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (isAdminToken(presentedAdminToken(request.raw))) {
      done();
      return;
    }
    void reply
      .code(401)
      .header('www-authenticate', 'Basic realm="OMS internal", charset="UTF-8"')
      .send(errorBody(401, 'Missing or invalid admin token', request.id));
  };
}
