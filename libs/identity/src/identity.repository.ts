import type {
  ApiTokenRecord,
  AuditRecord,
  Authentication,
  DepartmentRecord,
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
  abstract insertUser(user: UserRecord, token: ApiTokenRecord, audit: AuditRecord | null): Promise<void>;
  abstract setUserActive(id: string, active: boolean, audit: AuditRecord): Promise<void>;

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
