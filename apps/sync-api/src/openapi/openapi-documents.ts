import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type SecuritySchemeObject, SwaggerModule } from '@nestjs/swagger';
import { isInternalRoute, isServedOnInternalPort } from '@app/platform';
import { ADMIN_TOKEN_AUTH, API_KEY_AUTH } from '../api/api-surface.decorators';
import { withPathsWhere } from './document-subset';

/** The two OpenAPI documents: served at /docs/json and /internal/docs/json, committed as docs/openapi.json and docs/openapi-internal.json. */
export interface OpenApiDocuments {
  /** What the public port serves: the API, health, the dashboard's data. */
  public: OpenAPIObject;
  /** What the internal port serves: the admin routes, metrics, health. */
  internal: OpenAPIObject;
}

const ERROR_BODY = 'Errors share one body: {statusCode, error, message, details?, requestId}.';

interface DocumentDescription {
  title: string;
  description: string;
  server: string;
  security: { name: string; description: string };
}

const PUBLIC_API: DocumentDescription = {
  title: 'OMS API',
  description: `Order management: catalog, inventory with ledger, idempotent orders. Every /api/v1 route needs \`Authorization: Bearer <api key>\`. ${ERROR_BODY}`,
  server: 'The public port of the instance serving this document',
  security: { name: API_KEY_AUTH, description: 'An API key, issued by the operators of the deployment' },
};

const INTERNAL_API: DocumentDescription = {
  title: 'OMS internal API',
  description:
    'Administration of the OMS: API keys, the routing configuration, warehouse ETL runs, queues, metrics. Served on the internal port only; every route but health needs ' +
    `\`Authorization: Bearer <ADMIN_TOKEN>\`. ${ERROR_BODY}`,
  server: 'The internal port of the instance serving this document',
  security: { name: ADMIN_TOKEN_AUTH, description: 'The ADMIN_TOKEN of the deployment' },
};

function documentOf(app: INestApplication, described: DocumentDescription): OpenAPIObject {
  const bearer: SecuritySchemeObject = { type: 'http', scheme: 'bearer', description: described.security.description };
  const config = new DocumentBuilder()
    .setTitle(described.title)
    .setDescription(described.description)
    .setVersion('1')
    .setLicense('Proprietary (UNLICENSED)', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
    .addServer('/', described.server)
    .addSecurity(described.security.name, bearer)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The documents' titles, which the Swagger UI pages take as theirs. */
export const OPENAPI_TITLES = { public: PUBLIC_API.title, internal: INTERNAL_API.title } as const;

/** Each document holds the routes of its port, as the route placement decides them (see isInternalRoute). */
export function buildOpenApiDocuments(app: INestApplication): OpenApiDocuments {
  return {
    public: withPathsWhere(documentOf(app, PUBLIC_API), (path) => !isInternalRoute(path)),
    internal: withPathsWhere(documentOf(app, INTERNAL_API), isServedOnInternalPort),
  };
}
