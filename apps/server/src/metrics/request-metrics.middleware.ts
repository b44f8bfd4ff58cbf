import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { PrometheusMetrics } from './prometheus.metrics.js';

/** The route label of a request answered before any route matched (an unknown path, a body the parser refused). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every request, labelled by the route template Express matched (`/problems/:id`), never the
 * raw URL, so the number of series stays bounded whatever paths clients send. Installed first, so requests refused
 * by the body parser are counted too. Measured to `close`, which also ends a live event stream or an aborted request.
 */
export function requestMetrics(metrics: PrometheusMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('close', () => {
      const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' ? path : UNMATCHED_ROUTE;
      metrics.requestAnswered(request.method, route, response.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}
