import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, newId, type Role } from '../../domain/src/index.js';
import { ORGANISATION_CHANGED, type OrganisationChanged } from '../../engine/src/index.js';
import { generateApiToken, hashApiToken } from './api-token.js';
import { IdentityRepository } from './identity.repository.js';

export interface IssuedUser {
  actor: Actor;
  /** Shown once: only its hash is stored. */
  token: string;
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
    this.bus?.emit(ORGANISATION_CHANGED, { what: 'department.created' } satisfies OrganisationChanged);
    return id;
  }

  /** Seeding: makes a user the head of a department (first recipient of its escalations). */
  async makeHead(departmentId: string, userId: string): Promise<void> {
    await this.identities.updateDepartment(departmentId, { headUserId: userId }, null);
  }

  async createUser(name: string, role: Role, departmentId: string | null = null, token = generateApiToken()): Promise<IssuedUser> {
    const createdAt = this.clock.now().toISOString();
    const userId = newId();
    await this.identities.insertUser(
      { id: userId, name, role, departmentId, active: true, createdAt },
      { id: newId(), userId, tokenHash: hashApiToken(token), label: 'initial', createdAt, expiresAt: null, revokedAt: null, lastUsedAt: null },
      null,
    );
    return { actor: { userId, name, role, departmentId }, token };
  }

  /**
   * On first start with an empty database, creates the administrator. The token comes from
   * BOOTSTRAP_ADMIN_TOKEN when set, so deployments can script it; otherwise it is generated and returned
   * once for the caller to print.
   */
  async bootstrapAdmin(presetToken?: string): Promise<IssuedUser | null> {
    if ((await this.identities.countUsers()) > 0) return null;
    return this.createUser('Administrator', 'admin', null, presetToken ?? generateApiToken());
  }
}
