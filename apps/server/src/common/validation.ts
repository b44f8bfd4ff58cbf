import { ValidationPipe } from '@nestjs/common';
import { isISO8601, ValidateBy, type ValidationError } from 'class-validator';
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

/** A date-time with a time zone (`Z` or an offset): without one, the instant would depend on the server's zone. */
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO 8601 date-time with a time zone that is also an instant JavaScript can compute with. `IsISO8601` alone
 * admits week and ordinal dates (`2026-W20`, `2026-150`) that `Date` cannot parse, and zone-less times that
 * would be read in the server's local zone; deadlines are compared as instants.
 */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        DATE_TIME_WITH_ZONE.test(value) &&
        isISO8601(value, { strict: true }) &&
        Number.isFinite(Date.parse(value)),
      defaultMessage: (args) =>
        `${args?.property} must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T09:00:00Z or 2026-12-31T17:00:00+08:00`,
    },
  });
}
