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
    if (status >= 500) {
      this.logger.error(`[${correlationId}] ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }
}
