import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError, fatalDatabaseReason, isDatabaseUnreachable } from './database-outage.js';

/** An error as node-postgres raises it for a server message: its SQLSTATE in `code`. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe(isDatabaseUnreachable.name, () => {
  it.each([
    ['57P01 admin shutdown (pg_terminate_backend, a restart)', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot connect now', pgError('57P03', 'the database system is starting up')],
    ['53300 too many connections', pgError('53300', 'sorry, too many clients already')],
    ['class 08, connection failure', pgError('08006', 'connection failure')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 })],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a socket that ended', new Error('Connection terminated unexpectedly')],
    ['a connect or pool wait that timed out', new Error('timeout exceeded when trying to connect')],
    ['a client broken by an earlier loss', new Error('Client has encountered a connection error and is not queryable')],
    ['every address refused (AggregateError)', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command'))],
    ['wrapped as a cause', new Error('reading the outbox failed', { cause: new Error('Connection terminated unexpectedly') })],
    ['already said', new DatabaseUnavailableError()],
  ])('says yes to %s', (_case, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['a serialisation failure (the version check settles it)', pgError('40001', 'could not serialize access')],
    ['bad credentials (fatal, not an outage)', pgError('28P01', 'password authentication failed for user "x"')],
    ['no such database (fatal, not an outage)', pgError('3D000', 'database "nope" does not exist')],
    ['anything else', new Error('boom')],
    ['not an error at all', 'Connection terminated'],
  ])('says no to %s', (_case, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });

  it('stops at a cycle of causes', () => {
    const error = new Error('outer') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});

describe(fatalDatabaseReason.name, () => {
  it('names what to do about bad credentials, a refused address and a missing database, also when wrapped', () => {
    expect(fatalDatabaseReason(pgError('28P01', 'password authentication failed'))).toMatch(/password in DATABASE_URL/);
    expect(fatalDatabaseReason(pgError('28000', 'no pg_hba.conf entry'))).toMatch(/pg_hba\.conf/);
    expect(fatalDatabaseReason(new QueryFailedError('', [], pgError('3D000', 'database "nope" does not exist')))).toMatch(/does not exist: create it/);
  });

  it('has nothing to say of an outage or an ordinary error', () => {
    expect(fatalDatabaseReason(pgError('57P01', 'terminating connection'))).toBeNull();
    expect(fatalDatabaseReason(new Error('boom'))).toBeNull();
  });
});

describe(DatabaseUnavailableError.name, () => {
  it('asks to wait, and says whether a write may have been stored', () => {
    const read = new DatabaseUnavailableError();
    expect({ code: read.code, details: read.details }).toEqual({ code: 'DATABASE.UNAVAILABLE', details: { retryAfterSeconds: 5 } });
    expect(new DatabaseUnavailableError('not-saved').message).toMatch(/nothing was changed/);
    const unknown = new DatabaseUnavailableError('unknown');
    expect(unknown.details).toEqual({ retryAfterSeconds: 5, outcome: 'unknown' });
    expect(unknown.message).toMatch(/may or may not have been stored/);
  });
});
