import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createApiDocument } from '../../server/src/api-document.js';
import { AppModule } from '../../server/src/app.module.js';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from '#events';
import { DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';

/**
 * The server's OpenAPI document, exactly as GET /docs-json serves it, built without starting anything: Nest's
 * preview mode reads the controllers' metadata but creates no provider, so no database is opened (the SQLite
 * path below is never touched) and no round is scheduled. The document does not depend on the configuration.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(
    AppModule.forRoot({
      database: { kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' },
      rateLimitPerMinute: 60,
      events: DEFAULT_EVENT_DELIVERY_OPTIONS,
      scheduler: DEFAULT_SCHEDULER_OPTIONS,
    }),
    { preview: true, bodyParser: false, logger: ['error'], abortOnError: false },
  );
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}

/** `npm run cli -- openapi <file>`: the document the console's API client is generated from. */
export async function runOpenApi(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('Usage: npm run cli -- openapi <file.json>');
    return 2;
  }
  writeFileSync(file, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
  return 0;
}
