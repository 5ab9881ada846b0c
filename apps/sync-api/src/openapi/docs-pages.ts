import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler, RouteOptions } from 'fastify';
import { adminTokenMatcher, declaredHooks } from '@app/platform';
import { sameOriginPagePolicy } from '../api/content-security-policy';
import { requireAdminToken } from '../internal/admin-browser-access';
import { buildOpenApiDocuments, OPENAPI_TITLES, type OpenApiDocuments } from './openapi-documents';

/** Under /internal, so the route placement keeps the internal document (page, assets, JSON) off the public port. */
const INTERNAL_DOCS_PATH = '/internal/docs';
const PUBLIC_DOCS_PATH = '/docs';

/**
 * The inline styles of the page SwaggerModule serves (its HTML template's two <style> elements and
 * the style attribute of its SVG sprite), allowed by hash instead of 'unsafe-inline'. A new
 * @nestjs/swagger may change them: the Swagger UI test in Chromium then reports the blocked style.
 */
const SWAGGER_PAGE_STYLES = [
  "'sha256-/jDKvbQ8cdux+c5epDIqkjHbXDaIY8RucT1PmAe8FG4='",
  "'sha256-eaPyLWVdqMc60xuz5bTp2yBRgVpQSoUggte1+40ONPU='",
  "'sha256-ezdv1bOGcoOD7FKudKN0Y2Mb763O6qVtM8LT2mtanIU='",
];

/** Swagger UI's scripts, styles and calls stay on this origin; its inline styles are allowed by hash. */
const CONTENT_SECURITY_POLICY = sameOriginPagePolicy(["'unsafe-hashes'", ...SWAGGER_PAGE_STYLES]);

function sendSecurityHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  void reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('x-content-type-options', 'nosniff');
  done();
}

const isUnder = (base: string, routePattern: string) => routePattern === base || routePattern.startsWith(`${base}/`);

function serve(app: NestFastifyApplication, path: string, title: string, document: () => OpenAPIObject): void {
  SwaggerModule.setup(path, app, document, {
    jsonDocumentUrl: `${path}/json`,
    raw: ['json'],
    customSiteTitle: title,
    // Without the top bar of the standalone layout, whose logo brings an inline style of its own.
    swaggerOptions: { layout: 'BaseLayout' },
  });
}

/**
 * Swagger UI and the OpenAPI document of each port: the public API at /docs on the public port,
 * the internal API at /internal/docs on the internal port, behind the admin token like every
 * /internal route (a browser gives it as the Basic password, as for the queue board). SwaggerModule's
 * routes are Fastify's, not Nest's, so the headers and the token are hooks on each of them.
 */
export function setUpDocsPages(app: NestFastifyApplication, adminToken: string): void {
  const adminOnly = requireAdminToken(adminTokenMatcher(adminToken));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      const declared = declaredHooks<onRequestHookHandler>(route.onRequest);
      if (isUnder(PUBLIC_DOCS_PATH, route.url)) route.onRequest = [...declared, sendSecurityHeaders];
      else if (isUnder(INTERNAL_DOCS_PATH, route.url)) route.onRequest = [...declared, sendSecurityHeaders, adminOnly];
    });
  // Built on the first request for either: scanning every route takes a large share of a start's CPU, and most instances never serve the docs.
  let documents: OpenApiDocuments | undefined;
  const built = () => (documents ??= buildOpenApiDocuments(app));
  serve(app, PUBLIC_DOCS_PATH, OPENAPI_TITLES.public, () => built().public);
  serve(app, INTERNAL_DOCS_PATH, OPENAPI_TITLES.internal, () => built().internal);
}
