import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { currentLogContext, runWithLogContext } from '#logging';

const logger = new Logger('HTTP');

/**
 * One `info` line per request once its answer is sent (or the client went away): method, route template,
 * status, duration, and the request's log context (correlation id, actor, problem). Never the URL's query, the
 * headers or the body: tokens and evidence travel there. Registered after `correlationId`, inside its context.
 */
export function accessLog(request: Request, response: Response, next: NextFunction): void {
  const started = performance.now();
  const context = currentLogContext() ?? {};
  let logged = false;
  const done = () => {
    if (logged) return;
    logged = true;
    // The template (`/problems/:id/events`), known once Nest's router matched the request; a path only for
    // requests that matched no route, where it is what there is to go on.
    const route = (request.route as { path?: string } | undefined)?.path;
    const line = {
      msg: `${request.method} ${route ?? request.path} ${response.statusCode}`,
      method: request.method,
      route: route ?? null,
      ...(route ? {} : { path: request.path }),
      status: response.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(response.writableFinished ? {} : { aborted: true }),
    };
    // The same context object the request was served in: it holds what the guard found meanwhile (the actor).
    runWithLogContext(context, () => logger.log(line));
  };
  response.once('finish', done);
  response.once('close', done);
  next();
}
