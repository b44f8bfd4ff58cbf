import { Injectable } from '@nestjs/common';
import { type Actor, Clock, newId, type Role } from '../../domain/src/index.js';
import { generateApiToken, hashApiToken } from './api-token.js';
import { IdentityRepository } from './identity.repository.js';

export interface IssuedUser {
  actor: Actor;
  /** Shown once: only its hash is stored. */
  token: string;
}

@Injectable()
export class IdentityService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
  ) {}

  authenticate(token: string): Promise<Actor | null> {
    return this.identities.findActorByTokenHash(hashApiToken(token));
  }

  async createDepartment(name: string, parentId: string | null = null): Promise<string> {
    const id = newId();
    await this.identities.insertDepartment({ id, name, parentId, createdAt: this.clock.now().toISOString() });
    return id;
  }

  async createUser(name: string, role: Role, departmentId: string | null = null, token = generateApiToken()): Promise<IssuedUser> {
    const createdAt = this.clock.now().toISOString();
    const userId = newId();
    await this.identities.insertUserWithToken(
      { id: userId, name, role, departmentId, createdAt },
      { id: newId(), userId, tokenHash: hashApiToken(token), label: 'initial', createdAt },
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
