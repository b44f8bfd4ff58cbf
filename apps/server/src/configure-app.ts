import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { toErrorResponse } from './common/api-error.js';
import { correlationId, correlationIdOf } from './common/correlation-id.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * HTTP plumbing shared by the server and the e2e tests. The app must be created with `bodyParser: false`:
 * the JSON parser is installed here, followed by an error handler, because body-parser errors (malformed JSON,
 * body too large) are raised before Nest's exception filters can see them.
 */
export function configureApp(app: INestApplication, options: { bodyLimitKb: number }): void {
  app.use(correlationId);
  app.use(
    express.json({
      limit: `${options.bodyLimitKb}kb`,
      type: ['application/json', 'application/*+json'],
      // Keys that could reach an object's prototype are refused outright rather than silently dropped.
      reviver: (key, value) => {
        if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`The key "${key}" is not allowed`);
        return value;
      },
    }),
  );
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const { status, body } = toErrorResponse(error, correlationIdOf(response));
    response.status(status).json(body);
  });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Rectification engine')
      .setDescription('Inspection findings and their rectification (整改): file, assign, rectify, verify, close.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
