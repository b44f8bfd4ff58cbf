import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, DomainError, newId, type Role, UnknownDepartmentError } from '#domain';
import { randomBytes } from 'node:crypto';
import { generateApiToken, hashApiToken } from './api-token.js';
import { assertStrongPassword, hashPassword } from './password.js';
import { firstFreeUsername, usernameFromName, usernameKey } from './username.js';
import { auditEntry } from './audit.js';
import type { ApiTokenRecord, UserRecord } from './identity.records.js';
import { IdentityRepository } from './identity.repository.js';
import { CREDENTIALS_CHANGED, type CredentialsChanged } from './identity.signals.js';

/** What admins see of a token: never the token or its hash. */
export type TokenSummary = Omit<ApiTokenRecord, 'tokenHash'>;

export interface IssuedToken extends TokenSummary {
  /** Shown once. */
  token: string;
}

/** Shown once to the admin, who passes it on; only its hash is stored. */
export interface IssuedInvitation {
  userId: string;
  username: string;
  code: string;
  expiresAt: string;
}

/** How long an invitation code can be used. */
const INVITATION_DAYS = 7;

/** Roles that act for a department and so must belong to one. */
const DEPARTMENT_ROLES: readonly Role[] = ['department', 'supervisor'];

@Injectable()
export class UsersService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
    // Absent where nothing listens (the CLI).
    @Optional() private readonly bus?: EventEmitter2,
  ) {}

  list(): Promise<UserRecord[]> {
    return this.identities.listUsers();
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.identities.findUser(id);
    if (!user) throw new DomainError('USER.NOT_FOUND', `No user with id ${id}.`);
    return user;
  }

  async create(
    admin: Actor,
    input: { name: string; username?: string; role: Role; departmentId?: string | null; tokenExpiresAt?: string },
  ): Promise<{ user: UserRecord; token: IssuedToken }> {
    const departmentId = input.departmentId ?? null;
    if (DEPARTMENT_ROLES.includes(input.role) && departmentId === null) {
      throw new DomainError(
        'USER.DEPARTMENT_REQUIRED',
        `A ${input.role} user acts for a department: give departmentId.`,
        { field: 'departmentId' },
      );
    }
    if (departmentId !== null) {
      const department = await this.identities.findDepartment(departmentId);
      if (!department || !department.active) {
        throw new UnknownDepartmentError(departmentId, 'departmentId');
      }
    }
    const now = this.clock.now();
    futureExpiry('tokenExpiresAt', input.tokenExpiresAt, now);
    const username = await this.usernameFor(input);
    const user: UserRecord = {
      id: newId(now.getTime()), name: input.name, username, role: input.role, departmentId, active: true, mustChangePassword: false, createdAt: now.toISOString(),
    };
    const { record, token } = this.newToken(user.id, 'initial', input.tokenExpiresAt ?? null, now);
    await this.identities.insertUser(
      user,
      record,
      auditEntry(admin, 'user.created', 'user', user.id, { name: user.name, username, role: user.role, departmentId, tokenId: record.id }, now),
    );
    return { user, token: { ...summary(record), token } };
  }

  /**
   * Takes effect on the user's next request (authentication checks the user is active every time), and ends
   * their open event streams.
   */
  async setActive(admin: Actor, id: string, active: boolean): Promise<UserRecord> {
    const user = await this.get(id);
    // An admin locking themselves out could leave the organisation with no administrator.
    if (!active && id === admin.userId) {
      throw new DomainError('USER.SELF_DEACTIVATION', 'You cannot deactivate yourself; ask another administrator.', { field: 'id' });
    }
    if (user.active === active) return user;
    await this.identities.setUserActive(
      id,
      active,
      auditEntry(admin, active ? 'user.reactivated' : 'user.deactivated', 'user', id, { name: user.name }, this.clock.now()),
    );
    if (!active) await this.bus?.emitAsync(CREDENTIALS_CHANGED, { userId: id } satisfies CredentialsChanged);
    return { ...user, active };
  }

  /**
   * An initial password chosen by the admin, to be changed at first sign-in. Replaces any password or invitation,
   * lifts a lock and ends the user's sessions.
   */
  async setPassword(admin: Actor, id: string, password: string): Promise<UserRecord> {
    const user = await this.get(id);
    assertStrongPassword(password, user.username, 'password');
    await this.identities.setPassword(
      id,
      { passwordHash: await hashPassword(password), mustChangePassword: true, keepSessionId: null },
      auditEntry(admin, 'user.password_set', 'user', id, { username: user.username }, this.clock.now()),
    );
    // Their sessions ended: so do the streams opened with them.
    await this.bus?.emitAsync(CREDENTIALS_CHANGED, { userId: id } satisfies CredentialsChanged);
    return { ...user, mustChangePassword: true };
  }

  /** A one-time code with which the user sets their own password (POST /auth/invitation); a new one replaces the last. */
  async issueInvitation(admin: Actor, id: string): Promise<IssuedInvitation> {
    const user = await this.get(id);
    const now = this.clock.now();
    const code = randomBytes(18).toString('base64url');
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000).toISOString();
    await this.identities.setInvitation(
      id,
      { hash: hashApiToken(code), expiresAt },
      auditEntry(admin, 'user.invitation_issued', 'user', id, { username: user.username, expiresAt }, now),
    );
    return { userId: id, username: user.username, code, expiresAt };
  }

  private async usernameFor(input: { name: string; username?: string }): Promise<string> {
    const taken = async (key: string) => (await this.identities.findUserByUsername(key)) !== null;
    if (input.username === undefined) return firstFreeUsername(usernameFromName(input.name), taken);
    if (await taken(usernameKey(input.username))) {
      throw new DomainError('USER.USERNAME_TAKEN', `The username ${input.username} is taken (usernames are compared ignoring case); choose another.`, {
        field: 'username',
      });
    }
    return input.username;
  }

  async issueToken(admin: Actor, userId: string, input: { label: string; expiresAt?: string }): Promise<IssuedToken> {
    await this.get(userId);
    const now = this.clock.now();
    futureExpiry('expiresAt', input.expiresAt, now);
    const { record, token } = this.newToken(userId, input.label, input.expiresAt ?? null, now);
    await this.identities.insertToken(
      record,
      auditEntry(admin, 'token.issued', 'token', record.id, { userId, label: record.label, expiresAt: record.expiresAt }, now),
    );
    return { ...summary(record), token };
  }

  async tokens(userId: string): Promise<TokenSummary[]> {
    await this.get(userId);
    return (await this.identities.listTokens(userId)).map(summary);
  }

  /** Takes effect on the token's next use, and ends the streams open with it. Revoking twice is harmless. */
  async revokeToken(admin: Actor, tokenId: string): Promise<TokenSummary> {
    const token = await this.identities.findToken(tokenId);
    if (!token) throw new DomainError('TOKEN.NOT_FOUND', `No token with id ${tokenId}.`);
    if (token.revokedAt !== null) return summary(token);
    const now = this.clock.now();
    await this.identities.revokeToken(
      tokenId,
      now.toISOString(),
      auditEntry(admin, 'token.revoked', 'token', tokenId, { userId: token.userId, label: token.label }, now),
    );
    await this.bus?.emitAsync(CREDENTIALS_CHANGED, { userId: token.userId, tokenId } satisfies CredentialsChanged);
    return summary({ ...token, revokedAt: now.toISOString() });
  }

  private newToken(userId: string, label: string, expiresAt: string | null, now: Date): { record: ApiTokenRecord; token: string } {
    const token = generateApiToken();
    return {
      token,
      record: {
        id: newId(now.getTime()),
        userId,
        tokenHash: hashApiToken(token),
        label,
        createdAt: now.toISOString(),
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
        revokedAt: null,
        lastUsedAt: null,
      },
    };
  }
}

/** A token's expiry, when given, must lie in the future: a token born expired could never be used. */
function futureExpiry(field: string, expiresAt: string | null | undefined, now: Date): void {
  if (expiresAt !== undefined && expiresAt !== null && Date.parse(expiresAt) <= now.getTime()) {
    throw new DomainError('VALIDATION_FAILED', `${field} must lie in the future.`, {
      fields: [{ field, messages: [`${field} must lie in the future`] }],
    });
  }
}

function summary({ tokenHash: _hash, ...rest }: ApiTokenRecord): TokenSummary {
  return rest;
}
