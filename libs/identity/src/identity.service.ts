import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, newId, type Role } from '#domain';
import { ORGANISATION_CHANGED, type OrganisationChanged } from '#access';
import { generateApiToken, hashApiToken } from './api-token.js';
import { assertStrongPassword, generatePassword, hashPassword } from './password.js';
import { firstFreeUsername, usernameFromName } from './username.js';
import { IdentityRepository } from './identity.repository.js';

export interface IssuedUser {
  actor: Actor;
  username: string;
  /** Shown once: only its hash is stored. */
  token: string;
}

/** The bootstrap administrator: signs in as `admin` with `password`, which must be changed at first sign-in. */
export interface BootstrappedAdmin extends IssuedUser {
  /** Shown once: only its hash is stored. */
  password: string;
}

/** Whether a token still holds, re-read for a connection that outlives the request that opened it (a stream). */
export type TokenStanding =
  | { valid: true; actor: Actor; expiresAt: string | null }
  | { valid: false; reason: 'token_revoked' | 'token_expired' | 'user_deactivated' };

/** Recording a token's last use costs a write, so it is refreshed at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class IdentityService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
    // Absent where nothing listens (the CLI).
    @Optional() private readonly bus?: EventEmitter2,
  ) {}

  /** The actor a bearer token stands for, and which token it was (for per-token limits), or null. */
  async authenticate(token: string): Promise<{ actor: Actor; tokenId: string } | null> {
    const now = this.clock.now();
    const found = await this.identities.authenticate(hashApiToken(token), now.toISOString());
    if (!found) return null;
    if (found.lastUsedAt === null || now.getTime() - Date.parse(found.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      await this.identities.touchToken(found.tokenId, now.toISOString());
    }
    return { actor: found.actor, tokenId: found.tokenId };
  }

  /**
   * The same rules as `authenticate`, by token id and with the reason when they fail, and who the token stands for
   * now (the user's department or role may have changed since). Does not count as a use of the token.
   */
  async standing(tokenId: string): Promise<TokenStanding> {
    const token = await this.identities.findToken(tokenId);
    // Tokens are never deleted; one that has gone is as good as revoked.
    if (!token || token.revokedAt !== null) return { valid: false, reason: 'token_revoked' };
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= this.clock.now().getTime()) return { valid: false, reason: 'token_expired' };
    const user = await this.identities.findUser(token.userId);
    if (!user || !user.active) return { valid: false, reason: 'user_deactivated' };
    return { valid: true, actor: { userId: user.id, name: user.name, role: user.role, departmentId: user.departmentId }, expiresAt: token.expiresAt };
  }

  /** Seeding by the system (bootstrap, demo, tests): not an admin action, so not audited. */
  async createDepartment(name: string, parentId: string | null = null, headUserId: string | null = null): Promise<string> {
    const id = newId();
    await this.identities.insertDepartment(
      { id, name, parentId, headUserId, active: true, createdAt: this.clock.now().toISOString() },
      null,
    );
    // A new department below a supervisor's office widens their scope.
    await this.bus?.emitAsync(ORGANISATION_CHANGED, { what: 'department.created' } satisfies OrganisationChanged);
    return id;
  }

  /** Seeding: makes a user the head of a department (first recipient of its escalations). */
  async makeHead(departmentId: string, userId: string): Promise<void> {
    await this.identities.updateDepartment(departmentId, { headUserId: userId }, null);
  }

  /**
   * `sign-in`: the username (derived from the name when omitted; made unique with .2, .3 …) and a password, which must be changed at first
   * sign-in unless `mustChangePassword` is false (the demo's shared password).
   */
  async createUser(
    name: string,
    role: Role,
    departmentId: string | null = null,
    token = generateApiToken(),
    signIn: { username?: string; password?: string; mustChangePassword?: boolean } = {},
  ): Promise<IssuedUser> {
    const createdAt = this.clock.now().toISOString();
    const userId = newId();
    // Seeding, not an admin's choice: a taken username gets the next free suffix (a second demo organisation).
    const username = await firstFreeUsername(signIn.username ?? usernameFromName(name), async (key) => (await this.identities.findUserByUsername(key)) !== null);
    if (signIn.password !== undefined) assertStrongPassword(signIn.password, username, 'password');
    const passwordHash = signIn.password === undefined ? null : await hashPassword(signIn.password);
    await this.identities.insertUser(
      { id: userId, name, username, role, departmentId, active: true, mustChangePassword: passwordHash !== null && (signIn.mustChangePassword ?? true), createdAt },
      { id: newId(), userId, tokenHash: hashApiToken(token), label: 'initial', createdAt, expiresAt: null, revokedAt: null, lastUsedAt: null },
      null,
      passwordHash,
    );
    return { actor: { userId, name, role, departmentId }, username, token };
  }

  /**
   * On first start with an empty database, creates the administrator. The token comes from
   * BOOTSTRAP_ADMIN_TOKEN when set, so deployments can script it; otherwise it is generated and returned
   * once for the caller to print. Likewise the password of username `admin` (BOOTSTRAP_ADMIN_PASSWORD), which
   * must be changed at first sign-in.
   */
  async bootstrapAdmin(presetToken?: string, presetPassword?: string): Promise<BootstrappedAdmin | null> {
    if ((await this.identities.countUsers()) > 0) return null;
    const password = presetPassword ?? generatePassword();
    const admin = await this.createUser('Administrator', 'admin', null, presetToken ?? generateApiToken(), { username: 'admin', password });
    return { ...admin, password };
  }
}
