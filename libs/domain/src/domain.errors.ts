/**
 * Domain errors carry a stable code and never an HTTP status: the server's exception filter maps codes to
 * statuses in one exhaustive switch. Messages are written for the person who has to act on them.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'ROUTE.NOT_FOUND'
  | 'AUTH.MISSING_TOKEN'
  | 'AUTH.INVALID_TOKEN'
  | 'AUTH.FORBIDDEN'
  | 'AUTH.NOT_YOUR_DEPARTMENT'
  | 'AUTH.NOT_YOUR_PROBLEM'
  | 'AUTH.RATE_LIMITED'
  | 'AUTH.INVALID_CREDENTIALS'
  | 'AUTH.LOCKED'
  | 'AUTH.CSRF'
  | 'AUTH.PASSWORD_CHANGE_REQUIRED'
  | 'AUTH.WEAK_PASSWORD'
  | 'AUTH.INVALID_INVITATION'
  | 'AUTH.SESSION_ENDED'
  | 'USER.USERNAME_TAKEN'
  | 'USER.NOT_FOUND'
  | 'USER.DEPARTMENT_REQUIRED'
  | 'TOKEN.NOT_FOUND'
  | 'DEPARTMENT.CYCLE'
  | 'DEPARTMENT.HAS_OPEN_PROBLEMS'
  | 'DEPARTMENT.HAS_ACTIVE_CHILDREN'
  | 'DEPARTMENT.INACTIVE'
  | 'DEPARTMENT.DUPLICATE_NAME'
  | 'TEXT.INVISIBLE_CHARACTERS'
  | 'PROBLEM.NOT_FOUND'
  | 'INSPECTION.NOT_FOUND'
  | 'INSPECTION.NOT_ON_TEAM'
  | 'INSPECTION.REFERENCE_TAKEN'
  | 'INSPECTION.AMBIGUOUS_REFERENCE'
  | 'INSPECTION.INVALID_MEMBER'
  | 'CALENDAR.NO_SUCH_CLOSURE'
  | 'CALENDAR.VERSION_CONFLICT'
  | 'POLICY.VERSION_CONFLICT'
  | 'CALENDAR.RECURRENCE_TOO_LONG'
  | 'CALENDAR.IMPORT_TOO_LARGE'
  | 'NOTICE.NOT_FOUND'
  | 'SHEET.NOT_FOUND'
  | 'SHEET.AMBIGUOUS_NUMBER'
  | 'SHEET.NO_RESPONSE_ASKED'
  | 'SHEET.ALREADY_RESPONDED'
  | 'PROBLEM.INVALID_TRANSITION'
  | 'PROBLEM.VERSION_CONFLICT'
  | 'PROBLEM.DEADLINE_REQUIRED'
  | 'PROBLEM.DEADLINE_IN_PAST'
  | 'PROBLEM.DEADLINE_TOO_FAR'
  | 'PROBLEM.EXTENSION_NOT_LATER'
  | 'PROBLEM.DEADLINE_NOT_FROM_POLICY'
  | 'PROBLEM.DEADLINE_ALREADY_CURRENT'
  | 'PROBLEM.SAME_DEPARTMENT'
  | 'DEPARTMENT.NOT_FOUND'
  | 'DEPARTMENT.UNKNOWN'
  | 'USER.SELF_DEACTIVATION'
  | 'WEBHOOK.NOT_FOUND'
  | 'WEBHOOK.DELIVERY_NOT_FOUND'
  | 'WEBHOOK.TARGET_NOT_ALLOWED'
  | 'NOTIFY.CHANNEL_NOT_FOUND'
  | 'NOTIFY.NOTIFICATION_NOT_FOUND'
  | 'NOTIFY.INVALID_TARGET'
  | 'NOTIFY.NO_SECRET_KEY'
  | 'NOTIFY.NO_EMAIL_ADDRESS'
  | 'EVIDENCE.NOT_FOUND'
  | 'EVIDENCE.CONTENT_MISSING'
  | 'EVIDENCE.UNSUPPORTED_TYPE'
  | 'EVIDENCE.PROBLEM_FINISHED'
  | 'PROBLEM.EVIDENCE_REQUIRED'
  | 'IMPORT.FILE_TOO_LARGE'
  | 'IMPORT.UNSUPPORTED_FILE'
  | 'IMPORT.INVALID_HEADER'
  | 'IMPORT.NO_ROWS'
  | 'IMPORT.TOO_MANY_ROWS'
  | 'IMPORT.INVALID_ROWS'
  | 'IMPORT.UNCOMPRESSED_TOO_LARGE'
  | 'IMPORT.COMPRESSION_RATIO'
  | 'IMPORT.SHARED_STRINGS_TOO_LARGE'
  | 'IMPORT.TOO_MANY_ENTRIES'
  | 'IMPORT.TOO_MANY_SHEETS'
  | 'IMPORT.TOO_MANY_CELLS'
  | 'IMPORT.CELL_TOO_LONG'
  | 'IMPORT.TOO_MANY_SHARED_STRINGS'
  | 'IMPORT.UNSAFE_XML'
  | 'DATABASE.UNAVAILABLE'
  | 'INTERNAL';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ProblemNotFoundError extends DomainError {
  constructor(problemId: string) {
    super('PROBLEM.NOT_FOUND', `No problem with id ${problemId}. Check the id, or list problems with GET /problems.`);
  }
}

export class InvalidTransitionError extends DomainError {
  /**
   * @param acceptedEvents what the current state accepts from anyone
   * @param allowedEvents the subset this caller may send
   */
  constructor(event: string, state: string, acceptedEvents: string[], allowedEvents: string[]) {
    super(
      'PROBLEM.INVALID_TRANSITION',
      `${event} cannot be sent while the problem is ${state}. ` +
        (acceptedEvents.length ? `Events accepted now: ${acceptedEvents.join(', ')}.` : 'It accepts no further events.'),
      { event, state, acceptedEvents, allowedEvents },
    );
  }
}

export class VersionConflictError extends DomainError {
  constructor(expectedVersion: number | undefined, currentVersion: number) {
    super(
      'PROBLEM.VERSION_CONFLICT',
      expectedVersion === undefined
        ? `The problem changed while this request was being applied (now at version ${currentVersion}). Reload it and try again.`
        : `The problem is at version ${currentVersion}, not ${expectedVersion}: someone changed it since you loaded it. Reload it and try again.`,
      { expectedVersion: expectedVersion ?? null, currentVersion },
    );
  }
}

export class ForbiddenEventError extends DomainError {
  constructor(role: string, event: string, allowedRoles: readonly string[]) {
    super(
      'AUTH.FORBIDDEN',
      `A user with role ${role} may not send ${event}; it is for: ${allowedRoles.join(', ') || 'nobody'}.`,
      { role, event, allowedRoles: [...allowedRoles] },
    );
  }
}

export class NotYourDepartmentError extends DomainError {
  constructor() {
    super(
      'AUTH.NOT_YOUR_DEPARTMENT',
      'This problem is not assigned to your department; only the responsible department may act on it.',
    );
  }
}

export class InspectionNotFoundError extends DomainError {
  constructor(inspection: string) {
    super(
      'INSPECTION.NOT_FOUND',
      `No inspection ${inspection} that you can see. Check the reference or id, or list your inspections with GET /inspections.`,
    );
  }
}

/** A request named a department that does not exist, or no longer takes work (deactivated). */
export class UnknownDepartmentError extends DomainError {
  /**
   * @param field the request field that named it, so a form can mark it
   * @param listed the field lists several departments: the details name the one refused
   */
  constructor(departmentId: string, field: string, listed = false) {
    super(
      'DEPARTMENT.UNKNOWN',
      `No active department with id ${departmentId}; choose one of the organisation's departments.`,
      listed ? { field, departmentId } : { field },
    );
  }
}
