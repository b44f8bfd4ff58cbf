import type {
  ApiTokenRecord,
  AuditRecord,
  Authentication,
  DepartmentRecord,
  SessionAuthentication,
  SessionRecord,
  UserCredentials,
  UserRecord,
} from './identity.records.js';

/**
 * Port: users, departments, tokens and the audit log. Every method that changes something takes the audit
 * entry to write in the same transaction (null only for seeding by the system itself).
 */
export abstract class IdentityRepository {
  /** The active user holding this token, if the token is neither revoked nor expired at `now`. */
  abstract authenticate(tokenHash: string, now: string): Promise<Authentication | null>;
  abstract touchToken(tokenId: string, at: string): Promise<void>;

  abstract countUsers(): Promise<number>;
  abstract findUser(id: string): Promise<UserRecord | null>;
  abstract listUsers(): Promise<UserRecord[]>;
  abstract insertUser(user: UserRecord, token: ApiTokenRecord, audit: AuditRecord | null, passwordHash?: string | null): Promise<void>;
  /** Deactivating also ends the user's sessions, in the same transaction. */
  abstract setUserActive(id: string, active: boolean, audit: AuditRecord): Promise<void>;

  /** By username, compared case-folded (usernameKey). */
  abstract findUserByUsername(usernameKey: string): Promise<{ user: UserRecord; credentials: UserCredentials } | null>;
  /**
   * Sets the password hash (clearing any invitation, failed attempts and lock) and ends every session of the user
   * but `keepSessionId`.
   */
  abstract setPassword(
    userId: string,
    change: { passwordHash: string; mustChangePassword: boolean; keepSessionId: string | null },
    audit: AuditRecord,
  ): Promise<void>;
  abstract setInvitation(userId: string, invitation: { hash: string; expiresAt: string }, audit: AuditRecord): Promise<void>;
  /** One more wrong password; at `maxFailures` in a row the account is locked until `lockUntil` and the count restarts. */
  abstract recordFailedSignIn(userId: string, maxFailures: number, lockUntil: string): Promise<{ locked: boolean }>;
  abstract clearFailedSignIns(userId: string): Promise<void>;

  /** Inserts the session and drops the user's sessions that ended before `now` (so rows do not pile up). */
  abstract insertSession(session: SessionRecord, now: string): Promise<void>;
  /** The session with this secret hash and its user, if the user is active (expiry is the caller's to check). */
  abstract findSession(secretHash: string): Promise<SessionAuthentication | null>;
  /** The same by id, for a stream re-reading the session it was opened with. */
  abstract findSessionById(id: string): Promise<SessionAuthentication | null>;
  /**
   * Deletes at most `limit` sessions of anyone that have ended: past their absolute end at `now`, or last seen at or
   * before `idleSince`. Returns how many went.
   */
  abstract deleteEndedSessions(now: string, idleSince: string, limit: number): Promise<number>;
  abstract touchSession(id: string, at: string): Promise<void>;
  abstract deleteSession(id: string): Promise<void>;

  abstract findToken(id: string): Promise<ApiTokenRecord | null>;
  abstract listTokens(userId: string): Promise<ApiTokenRecord[]>;
  abstract insertToken(token: ApiTokenRecord, audit: AuditRecord): Promise<void>;
  abstract revokeToken(id: string, at: string, audit: AuditRecord): Promise<void>;

  abstract listDepartments(): Promise<DepartmentRecord[]>;
  abstract findDepartment(id: string): Promise<DepartmentRecord | null>;
  abstract insertDepartment(department: DepartmentRecord, audit: AuditRecord | null): Promise<void>;
  abstract updateDepartment(
    id: string,
    changes: Partial<Pick<DepartmentRecord, 'name' | 'parentId' | 'headUserId' | 'active'>>,
    audit: AuditRecord | null,
  ): Promise<void>;

  /** Newest first; `before` is the id of the last entry of the previous page. */
  abstract listAudit(limit: number, before?: string): Promise<AuditRecord[]>;
}

/** Port: what identity asks of problems — how many open ones a department still holds (it may not be deactivated then). */
export abstract class WorkloadDirectory {
  abstract openProblemsAssignedTo(departmentId: string): Promise<number>;
}
