import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@app/platform';
import { buildOpenApiDocuments } from '../openapi/openapi-documents';
import { SyncApiModule } from '../sync-api.module';

/**
 * `npm run openapi`: writes the public OpenAPI document to the file named by the first argument
 * (docs/openapi.json) and the internal one to the second (docs/openapi-internal.json). Preview mode builds the module graph without instantiating providers, so
 * no database or Redis is needed; the document still comes from the compiled controllers and DTOs.
 */
async function main(): Promise<void> {
  const [publicTarget, internalTarget] = process.argv.slice(2);
  if (publicTarget === undefined || internalTarget === undefined)
    throw new Error('usage: openapi.js <public document file> <internal document file>');
  const app = await NestFactory.create(SyncApiModule.forRoot(loadConfigOrExit()), new FastifyAdapter(), { preview: true, logger: false });
  try {
    const documents = buildOpenApiDocuments(app);
    await writeFile(publicTarget, `${JSON.stringify(documents.public, null, 2)}\n`);
    await writeFile(internalTarget, `${JSON.stringify(documents.internal, null, 2)}\n`);
  } finally {
    await app.close();
  }
  process.stdout.write(`${publicTarget} and ${internalTarget} written\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
