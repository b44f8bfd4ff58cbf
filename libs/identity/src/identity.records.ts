import type { Actor, Role } from '#domain';

export interface UserRecord {
  id: string;
  name: string;
  /** Unique, compared case-folded (usernameKey). */
  username: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
  /** Set with a password an admin chose: the user may do nothing else until they change it. */
  mustChangePassword: boolean;
  createdAt: string;
}

/** What sign-in needs of a user, never shown: hashes only. */
export interface UserCredentials {
  /** `scrypt$N$r$p$salt$hash`, or null for a user who signs in with API tokens only. */
  passwordHash: string | null;
  failedSignIns: number;
  lockedUntil: string | null;
  invitationHash: string | null;
  invitationExpiresAt: string | null;
}

/** A signed-in browser: the cookie holds the secret, the row its hash. */
export interface SessionRecord {
  id: string;
  userId: string;
  secretHash: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end (SESSION_MAX_HOURS after sign-in); the idle end is lastSeenAt + SESSION_IDLE_MINUTES. */
  expiresAt: string;
}

export interface SessionAuthentication {
  session: SessionRecord;
  user: UserRecord;
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
  targetType: 'department' | 'user' | 'token' | 'webhook' | 'calendar' | 'notification';
  targetId: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

export interface Authentication {
  actor: Actor;
  tokenId: string;
  lastUsedAt: string | null;
}
