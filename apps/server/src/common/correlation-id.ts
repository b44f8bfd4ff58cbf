import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithLogContext } from '#logging';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Every response carries a correlation id: the caller's if it sent a sane one, otherwise a new one. The rest of
 * the request is served inside a log context holding it and the client's address, so every line logged for the
 * request names both.
 */
export function correlationId(request: Request, response: Response, next: NextFunction): void {
  const given = request.header(CORRELATION_HEADER);
  const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
  response.locals.correlationId = id;
  response.setHeader(CORRELATION_HEADER, id);
  runWithLogContext({ correlationId: id, ...(request.ip === undefined ? {} : { clientAddress: request.ip }) }, next);
}

export function correlationIdOf(response: Response): string {
  return (response.locals?.correlationId as string | undefined) ?? randomUUID();
}
