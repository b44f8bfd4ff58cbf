import { Inject, Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, DomainError, newId } from '#domain';
import { hashApiToken } from './api-token.js';
import { auditEntry } from './audit.js';
import type { SessionRecord, UserCredentials, UserRecord } from './identity.records.js';
import { IdentityRepository } from './identity.repository.js';
import { CREDENTIALS_CHANGED, type CredentialsChanged } from './identity.signals.js';
import { assertStrongPassword, generatePassword, hashPassword, verifyPassword } from './password.js';
import { csrfTokenFor, generateSessionSecret, hashSessionSecret, sameSecret } from './session-secret.js';
import { DEFAULT_SIGN_IN_OPTIONS, SIGN_IN_OPTIONS, type SignInOptions } from './sign-in.options.js';
import { usernameKey } from './username.js';

/** A new session: the secret goes into the cookie, the CSRF token to the page. */
export interface SignedIn {
  user: UserRecord;
  secret: string;
  csrfToken: string;
  expiresAt: string;
}

/** A request's session, as the auth guard sees it. */
export interface SessionStanding {
  actor: Actor;
  user: UserRecord;
  sessionId: string;
  csrfToken: string;
  /** The earlier of the idle and the absolute end, as of this request. */
  expiresAt: string;
}

/** Whether a session still holds, re-read for a connection that outlives the request that opened it (a stream). */
export type SessionValidity =
  | { valid: true; actor: Actor; expiresAt: string }
  | { valid: false; reason: 'session_ended' | 'session_expired' | 'user_deactivated' };

/** Recording a session's last use costs a write, so it is refreshed at most this often (idle expiry is ±1 min). */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const MINUTE = 60_000;
/** Ended sessions of anyone deleted per sign-in: enough to keep up with sign-ins, bounded so none of them waits long. */
const SWEEP_BATCH = 100;

const invalidCredentials = () =>
  new DomainError('AUTH.INVALID_CREDENTIALS', 'The username or the password is wrong (or this user may not sign in with a password).');

/**
 * Sign-in for people (the console): username and password, server-side sessions in a cookie, lock-out after
 * repeated failures. API tokens are untouched: integrations keep using them.
 */
@Injectable()
export class SignInService {
  /** Hashed once, checked against for unknown users, so that they take as long to refuse as a wrong password. */
  private readonly dummyHash: Promise<string> = hashPassword(generatePassword());

  private readonly options: SignInOptions;

  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
    // Absent in the CLI, which signs nobody in.
    @Optional() @Inject(SIGN_IN_OPTIONS) options?: SignInOptions,
    // Absent where nothing listens (the CLI).
    @Optional() private readonly bus?: EventEmitter2,
  ) {
    this.options = options ?? DEFAULT_SIGN_IN_OPTIONS;
  }

  get settings(): SignInOptions {
    return this.options;
  }

  async signIn(username: string, password: string): Promise<SignedIn> {
    const found = await this.identities.findUserByUsername(usernameKey(username));
    if (!found || !found.user.active || found.credentials.passwordHash === null) {
      await verifyPassword(password, await this.dummyHash);
      throw invalidCredentials();
    }
    const { user, credentials } = found;
    this.refuseWhileLocked(credentials);
    if (!(await verifyPassword(password, credentials.passwordHash!))) await this.failed(user.id);
    if (credentials.failedSignIns > 0) await this.identities.clearFailedSignIns(user.id);
    return this.startSession(user);
  }

  /** The user sets their own password with the code an admin gave them, and is signed in. */
  async acceptInvitation(username: string, code: string, password: string): Promise<SignedIn> {
    const found = await this.identities.findUserByUsername(usernameKey(username));
    const now = this.clock.now();
    const refused = () =>
      new DomainError('AUTH.INVALID_INVITATION', 'This invitation code is wrong, already used or expired: ask an administrator for a new one.');
    if (!found || !found.user.active || found.credentials.invitationHash === null) throw refused();
    const { user, credentials } = found;
    this.refuseWhileLocked(credentials);
    if (!sameSecret(hashApiToken(code), credentials.invitationHash!)) {
      await this.failed(user.id, refused);
    }
    if (credentials.invitationExpiresAt === null || Date.parse(credentials.invitationExpiresAt) <= now.getTime()) throw refused();
    assertStrongPassword(password, user.username, 'password');
    await this.identities.setPassword(
      user.id,
      { passwordHash: await hashPassword(password), mustChangePassword: false, keepSessionId: null },
      auditEntry(actorOf(user), 'user.invitation_accepted', 'user', user.id, { username: user.username }, now),
    );
    await this.sessionsEnded(user.id);
    return this.startSession({ ...user, mustChangePassword: false });
  }

  /** The caller changes their own password; their other sessions end, this one (if any) goes on. */
  async changePassword(actor: Actor, sessionId: string | null, currentPassword: string, newPassword: string): Promise<UserRecord> {
    const user = await this.identities.findUser(actor.userId);
    const found = user ? await this.identities.findUserByUsername(usernameKey(user.username)) : null;
    if (!user || !found) throw invalidCredentials();
    this.refuseWhileLocked(found.credentials);
    if (found.credentials.passwordHash === null || !(await verifyPassword(currentPassword, found.credentials.passwordHash))) {
      await this.failed(user.id, () =>
        new DomainError('AUTH.INVALID_CREDENTIALS', 'The current password is wrong.', { field: 'currentPassword' }),
      );
    }
    assertStrongPassword(newPassword, user.username, 'newPassword');
    if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) {
      throw new DomainError('AUTH.WEAK_PASSWORD', 'The new password must differ from the current one.', { field: 'newPassword', reason: 'unchanged' });
    }
    await this.identities.setPassword(
      user.id,
      { passwordHash: await hashPassword(newPassword), mustChangePassword: false, keepSessionId: sessionId },
      auditEntry(actor, 'user.password_changed', 'user', user.id, { username: user.username }, this.clock.now()),
    );
    await this.sessionsEnded(user.id);
    return { ...user, mustChangePassword: false };
  }

  /** The session a cookie's secret opens, or null when there is none or it has ended (idle or absolute expiry). */
  async authenticate(secret: string): Promise<SessionStanding | null> {
    if (secret.length > 128) return null;
    const found = await this.identities.findSession(hashSessionSecret(secret));
    if (!found) return null;
    const { session, user } = found;
    const now = this.clock.now().getTime();
    const idleEnd = Date.parse(session.lastSeenAt) + this.options.sessionIdleMinutes * MINUTE;
    const absoluteEnd = Date.parse(session.expiresAt);
    if (now >= idleEnd || now >= absoluteEnd) {
      await this.identities.deleteSession(session.id);
      return null;
    }
    let seen = Date.parse(session.lastSeenAt);
    if (now - seen >= LAST_SEEN_RESOLUTION_MS) {
      await this.identities.touchSession(session.id, new Date(now).toISOString());
      seen = now;
    }
    return {
      actor: actorOf(user),
      user,
      sessionId: session.id,
      csrfToken: csrfTokenFor(secret),
      expiresAt: new Date(Math.min(seen + this.options.sessionIdleMinutes * MINUTE, absoluteEnd)).toISOString(),
    };
  }

  /**
   * The rules of `authenticate`, by session id and with the reason when they fail, and who the session stands for
   * now. Does not count as a use: a stream left open alone does not keep its session from idling out.
   */
  async validity(sessionId: string, userId: string): Promise<SessionValidity> {
    const found = await this.identities.findSessionById(sessionId);
    if (!found) {
      // Deactivation deletes the user's sessions with it: say so rather than "ended".
      const user = await this.identities.findUser(userId);
      return { valid: false, reason: user?.active ? 'session_ended' : 'user_deactivated' };
    }
    const { session, user } = found;
    const end = Math.min(Date.parse(session.lastSeenAt) + this.options.sessionIdleMinutes * MINUTE, Date.parse(session.expiresAt));
    if (this.clock.now().getTime() >= end) {
      await this.identities.deleteSession(session.id);
      return { valid: false, reason: 'session_expired' };
    }
    return { valid: true, actor: actorOf(user), expiresAt: new Date(end).toISOString() };
  }

  async signOut(sessionId: string): Promise<void> {
    // Read first for its user: the signal ends this session's open streams at once.
    const found = await this.identities.findSessionById(sessionId);
    await this.identities.deleteSession(sessionId);
    if (found) await this.bus?.emitAsync(CREDENTIALS_CHANGED, { userId: found.session.userId, sessionId } satisfies CredentialsChanged);
  }

  /** A password change ended sessions of the user: their open streams re-read theirs at once. */
  private async sessionsEnded(userId: string): Promise<void> {
    await this.bus?.emitAsync(CREDENTIALS_CHANGED, { userId } satisfies CredentialsChanged);
  }

  private refuseWhileLocked(credentials: UserCredentials): void {
    const now = this.clock.now().getTime();
    if (credentials.lockedUntil !== null && Date.parse(credentials.lockedUntil) > now) this.locked(credentials.lockedUntil);
  }

  private locked(until: string): never {
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(until) - this.clock.now().getTime()) / 1000));
    throw new DomainError(
      'AUTH.LOCKED',
      `Too many wrong passwords: this account is locked until ${until}. Try again in ${Math.ceil(retryAfterSeconds / 60)} min, or ask an administrator to set a new password.`,
      { lockedUntil: until, retryAfterSeconds },
    );
  }

  /** Counts the failure; the one that reaches the limit answers with the lock at once. */
  private async failed(userId: string, error: () => DomainError = invalidCredentials): Promise<never> {
    const lockUntil = new Date(this.clock.now().getTime() + this.options.lockMinutes * MINUTE).toISOString();
    const { locked } = await this.identities.recordFailedSignIn(userId, this.options.maxFailures, lockUntil);
    if (locked) this.locked(lockUntil);
    throw error();
  }

  private async startSession(user: UserRecord): Promise<SignedIn> {
    const now = this.clock.now();
    const secret = generateSessionSecret();
    const session: SessionRecord = {
      id: newId(now.getTime()),
      userId: user.id,
      secretHash: hashSessionSecret(secret),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.sessionMaxHours * 60 * MINUTE).toISOString(),
    };
    await this.identities.insertSession(session, now.toISOString());
    // Sessions nobody came back to would otherwise stay for good: each sign-in deletes a batch of anyone's ended ones.
    const idleSince = new Date(now.getTime() - this.options.sessionIdleMinutes * MINUTE).toISOString();
    await this.identities.deleteEndedSessions(now.toISOString(), idleSince, SWEEP_BATCH);
    const idleEnd = now.getTime() + this.options.sessionIdleMinutes * MINUTE;
    return { user, secret, csrfToken: csrfTokenFor(secret), expiresAt: new Date(Math.min(idleEnd, Date.parse(session.expiresAt))).toISOString() };
  }
}

export function actorOf(user: UserRecord): Actor {
  return { userId: user.id, name: user.name, role: user.role, departmentId: user.departmentId };
}
