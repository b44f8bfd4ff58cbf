import type { Actor, Role } from '../../domain/src/index.js';

export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
  createdAt: string;
}

export interface DepartmentRecord {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  active: boolean;
  createdAt: string;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  tokenHash: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** An admin action, recorded in the same transaction as the change it describes. */
export interface AuditRecord {
  id: string;
  actorId: string;
  actorName: string;
  action: string;
  targetType: 'department' | 'user' | 'token' | 'webhook' | 'calendar';
  targetId: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

export interface Authentication {
  actor: Actor;
  tokenId: string;
  lastUsedAt: string | null;
}
