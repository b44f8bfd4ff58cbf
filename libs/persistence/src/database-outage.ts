import { DomainError } from '#domain';

/**
 * How the database going away is told apart from a query that is wrong, in one place: the Database retries the
 * first kind where that is safe, the server answers it with 503 and Retry-After, the loops log it and carry on,
 * and a start-up that meets a fatal error stops with its reason.
 */

/**
 * SQLSTATEs that mean "not now" rather than "not this": 57P01 admin shutdown (pg_terminate_backend, a restart),
 * 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many connections; class
 * 08 (connection exception) is matched by its prefix.
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** node-postgres' own words for a socket that ended, a connect that timed out, a client left broken by either. */
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i;

/** Errors no amount of waiting mends, and what the operator should do about each. */
const FATAL_SQLSTATES = new Map([
  ['28P01', 'PostgreSQL refused the password: check the user and password in DATABASE_URL'],
  ['28000', 'PostgreSQL refused this user or address (pg_hba.conf): check DATABASE_URL and the server\'s pg_hba.conf'],
  ['3D000', 'the database named in DATABASE_URL does not exist: create it (createdb) or correct the URL'],
]);

/** Seconds a client is asked to wait before trying again (the Retry-After header). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The error itself and what it wraps: TypeORM's `driverError`, `cause`, the attempts of an AggregateError. */
function* errorChain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 16) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    yield next as { code?: unknown; message?: unknown };
    const { driverError, cause, errors } = next as { driverError?: unknown; cause?: unknown; errors?: unknown };
    pending.push(driverError, cause, ...(Array.isArray(errors) ? errors : []));
  }
}

/** Whether `error` says the database cannot be reached right now (and may be again soon). */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  for (const link of errorChain(error)) {
    const code = typeof link.code === 'string' ? link.code : '';
    if (CONNECTION_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SOCKET_ERRORS.has(code)) return true;
    if (typeof link.message === 'string' && CONNECTION_MESSAGES.test(link.message)) return true;
  }
  return false;
}

/** What to do about an error waiting cannot mend (bad credentials, no such database), or null for any other. */
export function fatalDatabaseReason(error: unknown): string | null {
  for (const link of errorChain(error)) {
    const reason = typeof link.code === 'string' ? FATAL_SQLSTATES.get(link.code) : undefined;
    if (reason) return reason;
  }
  return null;
}

/**
 * The database did not answer within the time a request may wait. `outcome` is said for a write: `not-saved` when
 * it was lost before its COMMIT was sent (PostgreSQL rolled it back), `unknown` when COMMIT was sent and no answer
 * came: it may have been stored, so reload before sending it again (the version check refuses a duplicate).
 */
export class DatabaseUnavailableError extends DomainError {
  constructor(outcome?: 'not-saved' | 'unknown', cause?: unknown) {
    super(
      'DATABASE.UNAVAILABLE',
      outcome === 'unknown'
        ? 'The database stopped answering while this change was being saved: it may or may not have been stored. ' +
            `Reload and check before sending it again, in ${DATABASE_RETRY_AFTER_SECONDS} s or later.`
        : 'The database does not answer right now' +
            (outcome === 'not-saved' ? ', so nothing was changed' : '') +
            `. Try again in ${DATABASE_RETRY_AFTER_SECONDS} s; if it persists, tell the operator (GET /health/ready says what is wrong).`,
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS, ...(outcome ? { outcome } : {}) },
    );
    if (cause !== undefined) this.cause = cause;
  }
}

/** A start-up that cannot go on: the process logs `message` and exits non-zero. */
export class DatabaseStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartError';
  }
}

/** Rejects with `onTimeout()` when `work` has not settled within `ms` (the work itself goes on and is ignored). */
export function withinMs<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
