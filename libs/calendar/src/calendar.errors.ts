import { DomainError } from '#domain';

/**
 * Calendar data that cannot be used: a bad time zone, a date both a holiday and a make-up working day, a year the
 * holiday source does not know. VALIDATION_FAILED until the domain's error codes grow a CALENDAR family.
 */
export class InvalidCalendarError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, { ...details, calendarError: 'CALENDAR.INVALID' });
    this.name = 'InvalidCalendarError';
  }
}

/** A deadline is explained or recomputed with a calendar other than the one it was stamped with. */
export class CalendarMismatchError extends DomainError {
  constructor(message: string, details: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, { ...details, calendarError: 'CALENDAR.MISMATCH' });
    this.name = 'CalendarMismatchError';
  }
}
