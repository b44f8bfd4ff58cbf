import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from './api-error.js';
import { correlationIdOf } from './correlation-id.js';

@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = correlationIdOf(response);
    const { status, body } = toErrorResponse(exception, correlationId);
    if (body.code === 'DATABASE.UNAVAILABLE') {
      // An outage is the operator's to see once per request, not a stack trace each: /health/ready says the rest.
      this.logger.warn(`[${correlationId}] Database unavailable: ${causeOf(exception)}`);
    } else if (status >= 500) {
      this.logger.error(`[${correlationId}] ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    }
    if (response.headersSent) return;
    const retryAfter = body.details?.retryAfterSeconds;
    if (body.code === 'DATABASE.UNAVAILABLE' && typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response.status(status).json(body);
  }
}

/** The driver's words under a DatabaseUnavailableError (its own message is the one written for the client). */
function causeOf(exception: unknown): string {
  const cause = exception instanceof Error && exception.cause instanceof Error ? exception.cause : exception;
  return cause instanceof Error ? cause.message : String(cause);
}
