import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorCode } from '#domain';
import type { ApiErrorBody } from '../api-error.js';
import { CORRELATION_HEADER } from '../correlation-id.js';

/** Every error answer's body (toErrorResponse), for the OpenAPI document. */
export class ApiErrorDto implements ApiErrorBody {
  @ApiProperty({ type: String, description: 'Stable code to act on (the status alone is coarser)', example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiProperty({ description: 'What went wrong and what to do about it, for a person' })
  message: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Facts of the error for a program: VALIDATION_FAILED lists `fields` ({ field, messages }), a version conflict the current version',
  })
  details?: Record<string, unknown>;

  @ApiProperty({ description: `The request's, as in the ${CORRELATION_HEADER} header (the caller's own when it sent a sane one); quote it when reporting a problem` })
  correlationId: string;
}
