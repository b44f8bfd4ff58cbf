import { isUtf8 } from 'node:buffer';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { TrustProxy } from '#config';
import { DomainError } from '#domain';
import { createApiDocument } from './api-document.js';
import { toErrorResponse } from './common/api-error.js';
import { unstorableTextIn } from './common/validation.js';
import { accessLog } from './common/access-log.js';
import { correlationId, correlationIdOf } from './common/correlation-id.js';
import { PrometheusMetrics } from './metrics/prometheus.metrics.js';
import { requestMetrics } from './metrics/request-metrics.middleware.js';
import { serveConsole } from './console/serve-console.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * HTTP plumbing shared by the server and the e2e tests. The app must be created with `bodyParser: false`:
 * the JSON parser is installed here, followed by an error handler, because body-parser errors (malformed JSON,
 * body too large) are raised before Nest's exception filters can see them.
 */
export function configureApp(
  app: INestApplication,
  options: { bodyLimitKb: number; corsOrigins?: string[]; consoleDir?: string; trustProxy?: TrustProxy },
): void {
  // Whose X-Forwarded-For names the client (request.ip: the rate limit, the logs); by default nobody's.
  (app.getHttpAdapter().getInstance() as express.Express).set('trust proxy', options.trustProxy ?? false);
  app.use(correlationId);
  app.use(accessLog);
  app.use(requestMetrics(app.get(PrometheusMetrics)));
  // Security headers on every response. The API and the console load nothing from elsewhere (the console's
  // photo previews are blob: URLs); the docs page needs its inline scripts, so it alone goes without a policy.
  const strict = helmet({
    // No upgrade-insecure-requests: an intranet server on plain HTTP must still load its own console.
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null } },
  });
  const forDocs = helmet({ contentSecurityPolicy: false });
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path.startsWith('/docs') ? forDocs : strict)(request, response, next),
  );
  // The console (when built): its files, and index.html for the pages a browser navigates to.
  serveConsole(app, options.consoleDir);
  // CORS is off unless origins are configured (CORS_ORIGINS).
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.enableCors({ origin: options.corsOrigins, exposedHeaders: ['x-correlation-id'] });
  }
  app.use(
    express.json({
      limit: `${options.bodyLimitKb}kb`,
      type: ['application/json', 'application/*+json'],
      // Nesting is measured on the raw text, before JSON.parse: its reviver recurses too, and would overflow first.
      verify: (_request, _response, raw, encoding) => {
        // Bytes that are not UTF-8 would be decoded to U+FFFD and stored so: refused, as a lone surrogate is.
        if (/^utf-?8$/i.test(encoding) && !isUtf8(raw)) throw invalidField('body', 'the body must be UTF-8 text');
        const field = fieldNestedTooDeep(raw, encoding);
        if (field !== null) throw invalidField(field, `the body must not nest deeper than ${MAX_BODY_DEPTH} levels`);
      },
      // Keys that could reach an object's prototype are refused outright rather than silently dropped.
      reviver: (key, value) => {
        if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`The key "${key}" is not allowed`);
        return value;
      },
    }),
  );
  app.use(refuseUnacceptableInput);
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const { status, body } = toErrorResponse(error, correlationIdOf(response));
    response.status(status).json(body);
  });
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, createApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/**
 * How deep a JSON body may nest (objects and arrays, the body itself included). No request needs more than a
 * few levels, while a body of some thousands of levels (well within the size limit) overflowed the stack: in the
 * reviver of JSON.parse, or when class-transformer copies it for validation, and answered 500.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses, as VALIDATION_FAILED naming the field, input that validation would otherwise let through:
 * - the prototype keys above in a query string: class-transformer skips them, so `forbidNonWhitelisted` never
 *   sees them;
 * - strings that cannot be stored as sent: U+0000, lone surrogates (see unstorableTextIn).
 */
function refuseUnacceptableInput(request: Request, _response: Response, next: NextFunction): void {
  if (/%00/.test(request.originalUrl.split('?')[0])) return next(invalidField('path', 'the path must not contain the NUL character (U+0000)'));
  const query = request.query ?? {};
  const key = Object.keys(query).find((name) => FORBIDDEN_KEYS.has(name));
  if (key !== undefined) return next(invalidField(key, `property ${key} should not exist`));
  const text = unstorableTextIn(query) ?? unstorableTextIn(request.body);
  if (text !== null) return next(invalidField(text.field, text.messages[0]));
  next();
}

function invalidField(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `The request has invalid fields: ${field}. See details.fields for what each needs.`, {
    fields: [{ field, messages: [message] }],
  });
}

/**
 * Where a JSON text nests deeper than MAX_BODY_DEPTH: the top-level key it happens under (`body` when there is
 * none), or null. A single pass over the raw text that skips strings; whether the text is valid JSON at all is
 * left to JSON.parse.
 */
export function fieldNestedTooDeep(raw: Buffer | string, encoding = 'utf-8'): string | null {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : new TextDecoder(encoding).decode(raw);
  } catch {
    return null;
  }
  let depth = 0;
  let topKey: string | null = null;
  let lastString: string | null = null;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') {
      const start = at + 1;
      for (at = start; at < text.length && text[at] !== '"'; at += text[at] === '\\' ? 2 : 1);
      lastString = depth === 1 ? text.slice(start, at) : null;
    } else if (char === ':') {
      if (depth === 1 && lastString !== null) topKey = decodeKey(lastString);
    } else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > MAX_BODY_DEPTH) return topKey ?? 'body';
    } else if (char === '}' || char === ']') {
      depth -= 1;
    } else if (char === ',') {
      lastString = null;
    }
  }
  return null;
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
