import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs/json, generated from the controllers and DTOs. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('OMS API')
    .setDescription(
      'Order management: catalog, inventory with ledger, idempotent orders. Public routes need `Authorization: Bearer <api key>`; ' +
        '/internal routes are served on the internal port only and need the admin token. Errors share one body: ' +
        '{statusCode, error, message, details?, requestId}.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
