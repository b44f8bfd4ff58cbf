import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, from this file in apps/server/src/console or in its build, dist/apps/server/src/console. */
const ROOT = join(import.meta.dirname, '..', '..', '..', '..', ...(import.meta.dirname.includes(join('dist', 'apps')) ? ['..'] : []));

/** Where `npm run build` puts the console: dist/console, beside dist/apps. */
export const DEFAULT_CONSOLE_DIR = join(ROOT, 'dist', 'console');

/** Paths that are never the console's, whatever the browser asks for. */
const NOT_CONSOLE = /^\/(docs|docs-json|metrics|events\/stream)(\/|$)/;

/**
 * Serves the built console at `/`: its files (hashed names, cached for a year; index.html never cached) and, for a
 * page a browser navigates to (a GET that prefers HTML, e.g. /problems/123 typed in the address bar), index.html,
 * so the console's router shows it. API clients ask for JSON (or anything) and reach the API as before. Without a
 * build (tests, `npm run build` not run) nothing is served and the API is unchanged.
 */
export function serveConsole(app: INestApplication, dir: string = DEFAULT_CONSOLE_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (NOT_CONSOLE.test(request.path)) return next();
    if (request.accepts(['json', 'html']) !== 'html') return next();
    // A download the console links to (the ledger as CSV or Excel) is the API's, whatever the browser accepts.
    if (typeof request.query.format === 'string') return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return true;
}
