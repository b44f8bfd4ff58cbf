import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorCode } from '#domain';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '#persistence';

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  correlationId: string;
}

/** The one mapping from stable error codes to HTTP statuses. Exhaustive: a new code will not compile until mapped. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'MALFORMED_JSON':
      return 400;
    case 'AUTH.MISSING_TOKEN':
    case 'AUTH.INVALID_TOKEN':
    case 'AUTH.INVALID_CREDENTIALS':
    case 'AUTH.INVALID_INVITATION':
    case 'AUTH.SESSION_ENDED':
      return 401;
    case 'AUTH.FORBIDDEN':
    case 'AUTH.NOT_YOUR_DEPARTMENT':
    case 'AUTH.NOT_YOUR_PROBLEM':
    case 'AUTH.CSRF':
    case 'AUTH.PASSWORD_CHANGE_REQUIRED':
    case 'INSPECTION.NOT_ON_TEAM':
      return 403;
    case 'ROUTE.NOT_FOUND':
    case 'PROBLEM.NOT_FOUND':
    case 'INSPECTION.NOT_FOUND':
    case 'NOTICE.NOT_FOUND':
    case 'DEPARTMENT.NOT_FOUND':
    case 'USER.NOT_FOUND':
    case 'TOKEN.NOT_FOUND':
    case 'WEBHOOK.NOT_FOUND':
    case 'WEBHOOK.DELIVERY_NOT_FOUND':
    case 'NOTIFY.CHANNEL_NOT_FOUND':
    case 'SHEET.NOT_FOUND':
    case 'NOTIFY.NOTIFICATION_NOT_FOUND':
    case 'EVIDENCE.NOT_FOUND':
    case 'EVIDENCE.CONTENT_MISSING':
      return 404;
    case 'PROBLEM.INVALID_TRANSITION':
    case 'PROBLEM.VERSION_CONFLICT':
    case 'SHEET.NO_RESPONSE_ASKED':
    case 'SHEET.ALREADY_RESPONDED':
    case 'INSPECTION.REFERENCE_TAKEN':
    case 'CALENDAR.VERSION_CONFLICT':
    case 'POLICY.VERSION_CONFLICT':
    case 'DEPARTMENT.HAS_OPEN_PROBLEMS':
    case 'DEPARTMENT.HAS_ACTIVE_CHILDREN':
    case 'DEPARTMENT.DUPLICATE_NAME':
    case 'USER.USERNAME_TAKEN':
    case 'EVIDENCE.PROBLEM_FINISHED':
    case 'NOTIFY.NO_SECRET_KEY':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
    case 'IMPORT.FILE_TOO_LARGE':
    case 'IMPORT.UNCOMPRESSED_TOO_LARGE':
    case 'IMPORT.COMPRESSION_RATIO':
    case 'IMPORT.SHARED_STRINGS_TOO_LARGE':
      return 413;
    case 'EVIDENCE.UNSUPPORTED_TYPE':
      return 415;
    case 'PROBLEM.DEADLINE_REQUIRED':
    case 'PROBLEM.DEADLINE_IN_PAST':
    case 'PROBLEM.DEADLINE_TOO_FAR':
    case 'PROBLEM.EXTENSION_NOT_LATER':
    case 'PROBLEM.DEADLINE_NOT_FROM_POLICY':
    case 'PROBLEM.DEADLINE_ALREADY_CURRENT':
    case 'PROBLEM.SAME_DEPARTMENT':
    case 'PROBLEM.EVIDENCE_REQUIRED':
    case 'CALENDAR.NO_SUCH_CLOSURE':
    case 'CALENDAR.RECURRENCE_TOO_LONG':
    case 'CALENDAR.IMPORT_TOO_LARGE':
    case 'DEPARTMENT.UNKNOWN':
    case 'WEBHOOK.TARGET_NOT_ALLOWED':
    case 'NOTIFY.INVALID_TARGET':
    case 'NOTIFY.NO_EMAIL_ADDRESS':
    case 'INSPECTION.AMBIGUOUS_REFERENCE':
    case 'SHEET.AMBIGUOUS_NUMBER':
    case 'INSPECTION.INVALID_MEMBER':
    case 'DEPARTMENT.CYCLE':
    case 'DEPARTMENT.INACTIVE':
    case 'TEXT.INVISIBLE_CHARACTERS':
    case 'USER.DEPARTMENT_REQUIRED':
    case 'USER.SELF_DEACTIVATION':
    case 'IMPORT.UNSUPPORTED_FILE':
    case 'IMPORT.INVALID_HEADER':
    case 'IMPORT.NO_ROWS':
    case 'IMPORT.TOO_MANY_ROWS':
    case 'IMPORT.INVALID_ROWS':
    case 'IMPORT.TOO_MANY_ENTRIES':
    case 'IMPORT.TOO_MANY_SHEETS':
    case 'IMPORT.TOO_MANY_CELLS':
    case 'IMPORT.CELL_TOO_LONG':
    case 'IMPORT.TOO_MANY_SHARED_STRINGS':
    case 'IMPORT.UNSAFE_XML':
    case 'AUTH.WEAK_PASSWORD':
      return 422;
    case 'AUTH.RATE_LIMITED':
    case 'AUTH.LOCKED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'DATABASE.UNAVAILABLE':
      return 503;
    default: {
      const unmapped: never = code;
      throw new Error(`Unmapped error code ${String(unmapped)}`);
    }
  }
}

/**
 * Errors raised by express's body parser (http-errors: `expose` and a status). Its own checks give them a `type`
 * (`entity.too.large`, `charset.unsupported`, `entity.parse.failed`, …); a failure of the stream it reads — a
 * body that is not in the `Content-Encoding` it claims (gzip, deflate, br) — comes as the stream's error with
 * only a 4xx status. They never reach Nest's filters (Nest wraps the http-errors raised in its own routing into
 * HttpExceptions first).
 */
interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (typeof error !== 'object' || error === null || !('expose' in error)) return false;
  const { type, status } = error as BodyParserError;
  return typeof type === 'string' || (typeof status === 'number' && status >= 400 && status < 500);
}

/**
 * The field a framework-raised 4xx is about, for `details.fields`: the multipart field multer names, the path
 * for a parameter that is not valid percent-encoded UTF-8, the Content-Type for a media type nobody parses,
 * otherwise the body.
 */
function fieldOf(error: HttpException, status: number): string {
  const cause = error.cause as { field?: unknown } | undefined;
  if (typeof cause?.field === 'string' && cause.field !== '') return cause.field;
  if (cause instanceof URIError || /^Failed to decode param/.test(error.message)) return 'path';
  if (status === 415) return 'Content-Type';
  return 'body';
}

/** Turns anything thrown into a documented error. Unknown errors become INTERNAL without leaking details. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  // A lost connection that reached here without passing through the Database (which says so itself).
  if (isDatabaseUnreachable(error)) return new DatabaseUnavailableError(undefined, error);
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts.');
    }
    // Raised by the JSON reviver in configure-app: valid JSON, but a key that could reach a prototype.
    const forbiddenKey = /The key "([^"]+)" is not allowed/.exec(error.message ?? '');
    if (forbiddenKey) {
      return new DomainError('VALIDATION_FAILED', `The request has invalid fields: ${forbiddenKey[1]}. Such keys are not accepted anywhere in a body.`, {
        fields: [{ field: forbiddenKey[1], messages: [`property ${forbiddenKey[1]} should not exist`] }],
      });
    }
    return new DomainError(
      'MALFORMED_JSON',
      'The request body is not valid JSON (or uses an unsupported encoding). Send a JSON object with Content-Type: application/json.',
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return new DomainError('ROUTE.NOT_FOUND', 'No such endpoint. See /docs for the API.');
    if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts.');
    if (status === 401) return new DomainError('AUTH.INVALID_TOKEN', 'Authentication failed.');
    if (status === 403) return new DomainError('AUTH.FORBIDDEN', 'You may not do this.');
    if (status >= 400 && status < 500) {
      // Raised by the framework (routing, multer, busboy) rather than by validation: still one field and its
      // message, as every VALIDATION_FAILED lists them.
      const field = fieldOf(error, status);
      return new DomainError('VALIDATION_FAILED', `The request has invalid fields: ${field}. ${error.message}`, {
        fields: [{ field, messages: [error.message] }],
      });
    }
  }
  return new DomainError('INTERNAL', 'Something went wrong on our side; nothing was changed. Quote the correlation id when reporting it.');
}

export function toErrorResponse(error: unknown, correlationId: string): { status: number; body: ApiErrorBody } {
  const domainError = toDomainError(error);
  const body: ApiErrorBody = { code: domainError.code, message: domainError.message, correlationId };
  if (domainError.details) body.details = domainError.details;
  return { status: statusForCode(domainError.code), body };
}
