import { ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, IsNotEmpty, IsString, MaxLength, ValidateBy, type ValidationError } from 'class-validator';
import { isLocalDate } from '#calendar';
import { DomainError, displayName, loneSurrogateIn, normaliseText } from '#domain';

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

/**
 * A name people pick from a list (department, user, token label): stored NFC and trimmed; blank once trimmed
 * is refused like an empty one (VALIDATION_FAILED), invisible characters with 422 TEXT.INVISIBLE_CHARACTERS.
 * The latter is thrown while the body is transformed, before the other rules run: it needs its own code.
 */
export function IsName(maxLength: number): PropertyDecorator {
  const decorators = [
    Transform(({ value, key }) => {
      if (typeof value !== 'string') return value;
      const name = normaliseText(value);
      return name === '' ? name : displayName(name, key);
    }),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
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

/**
 * The first string (value or key) of a parsed body or query that cannot be stored as it was sent, with why:
 * - U+0000: PostgreSQL text cannot hold it (the insert or the query fails with a 500), while SQLite would store
 *   it; refusing it makes both databases accept the same input;
 * - a lone surrogate (JSON `"\ud800"` parses to one): UTF-8 cannot encode it, so the database would keep
 *   replacement characters (U+FFFD) instead of what was sent.
 * Iterative: a body may nest as deep as its size allows.
 */
export function unstorableTextIn(value: unknown): FieldError | null {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      const field = path || 'body';
      if (current.includes('\u0000')) return { field, messages: [`${field} must not contain the NUL character (U+0000)`] };
      if (loneSurrogateIn(current) !== -1) {
        return { field, messages: [`${field} must be well-formed Unicode: it holds half of a surrogate pair (a lone \\ud800–\\udfff escape)`] };
      }
    } else if (typeof current === 'object' && current !== null) {
      for (const [name, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${name}` : name;
        pending.push([child, childPath]);
        if (name.includes('\u0000') || loneSurrogateIn(name) !== -1) pending.push([name, childPath]);
      }
    }
  }
  return null;
}

/**
 * The years every instant and date the API takes must fall in, deadlines aside (the engine bounds those by
 * DEADLINE_HORIZON_YEARS, with a 422 naming the latest one): a year such as 9999 or 0000 is a typo or an attack,
 * and working-day arithmetic on it runs for millions of days or past what a date can hold.
 */
export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2100;

/** A date (YYYY-MM-DD) or date-time whose year lies in EARLIEST_YEAR–LATEST_YEAR; checked beside its format rule. */
export function InYearRange(): PropertyDecorator {
  return ValidateBy({
    name: 'inYearRange',
    validator: {
      validate: (value: unknown) => {
        const year = typeof value === 'string' ? /^(\d{4})-/.exec(value)?.[1] : undefined;
        return year !== undefined && Number(year) >= EARLIEST_YEAR && Number(year) <= LATEST_YEAR;
      },
      defaultMessage: (args) => `${args?.property} must lie in the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`,
    },
  });
}

/**
 * A real calendar date written YYYY-MM-DD (2026-02-29 is refused) in the years the API takes (see InYearRange);
 * `anyYear` for a date whose range a rule further in checks with a message of its own (an .ics `recurUntil`).
 */
export function IsLocalDate(options: { anyYear?: boolean } = {}): PropertyDecorator {
  const inRange = (value: string) => options.anyYear === true || (Number(value.slice(0, 4)) >= EARLIEST_YEAR && Number(value.slice(0, 4)) <= LATEST_YEAR);
  return ValidateBy({
    name: 'isLocalDate',
    validator: {
      validate: (value) => isLocalDate(value) && inRange(value),
      defaultMessage: (args) =>
        `${args?.property} must be a date YYYY-MM-DD${options.anyYear === true ? '' : ` in the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`}`,
    },
  });
}
