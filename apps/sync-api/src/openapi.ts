import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_TOKEN_AUTH, API_KEY_AUTH } from './api/api-surface.decorators';

/** The OpenAPI document of the app's controllers and DTOs: served at /docs/json and committed as docs/openapi.json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OMS API')
    .setDescription(
      'Order management: catalog, inventory with ledger, idempotent orders. Public routes need `Authorization: Bearer <api key>`; ' +
        '/internal routes are served on the internal port only and need the admin token. Errors share one body: ' +
        '{statusCode, error, message, details?, requestId}.',
    )
    .setVersion('1')
    .setLicense('Proprietary (UNLICENSED)', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
    .addServer('/', 'The instance serving this document: /api/v1 and /health on the public port, /internal and /metrics on the internal port')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, from POST /internal/api-keys' }, API_KEY_AUTH)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of the deployment' }, ADMIN_TOKEN_AUTH)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the OpenAPI document at /docs/json. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/json' });
}
