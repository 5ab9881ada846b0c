import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@app/platform';
import { buildOpenApiDocument } from '../openapi';
import { SyncApiModule } from '../sync-api.module';

/**
 * `npm run openapi`: writes the OpenAPI document to the file named by the first argument
 * (docs/openapi.json). Preview mode builds the module graph without instantiating providers, so
 * no database or Redis is needed; the document still comes from the compiled controllers and DTOs.
 */
async function main(): Promise<void> {
  const [target] = process.argv.slice(2);
  if (target === undefined) throw new Error('usage: openapi.js <output file>');
  const app = await NestFactory.create(SyncApiModule.forRoot(loadConfigOrExit()), new FastifyAdapter(), { preview: true, logger: false });
  try {
    await writeFile(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
  process.stdout.write(`${target} written\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
