import type { Actor, Role } from '../../domain/src/index.js';

export interface NewUser {
  id: string;
  name: string;
  role: Role;
  departmentId: string | null;
  createdAt: string;
}

export interface NewDepartment {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

export interface NewApiToken {
  id: string;
  userId: string;
  tokenHash: string;
  label: string;
  createdAt: string;
}

/** Port: users, their departments and tokens. */
export abstract class IdentityRepository {
  /** The active user holding an unrevoked token with this hash. */
  abstract findActorByTokenHash(tokenHash: string): Promise<Actor | null>;
  abstract countUsers(): Promise<number>;
  abstract insertDepartment(department: NewDepartment): Promise<void>;
  /** Inserts the user and its first token together. */
  abstract insertUserWithToken(user: NewUser, token: NewApiToken): Promise<void>;
  abstract insertToken(token: NewApiToken): Promise<void>;
}
