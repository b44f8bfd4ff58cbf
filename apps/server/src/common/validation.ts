import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { DomainError } from '../../../../libs/domain/src/index.js';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** One shape for every validation failure: code VALIDATION_FAILED and each offending field with its messages. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const fields = flatten(errors);
  return new DomainError(
    'VALIDATION_FAILED',
    `The request has invalid fields: ${fields.map((f) => f.field).join(', ')}. See details.fields for what each needs.`,
    { fields },
  );
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({ ...VALIDATION_OPTIONS, transform: true, exceptionFactory: validationFailed });
}
