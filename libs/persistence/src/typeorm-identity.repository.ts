import { type EntityManager, In } from 'typeorm';
import { nameKey, type Role } from '#domain';
import {
  type ApiTokenRecord,
  type AuditRecord,
  type Authentication,
  type DepartmentRecord,
  IdentityRepository,
  type SessionAuthentication,
  type SessionRecord,
  type UserCredentials,
  type UserRecord,
} from '#identity';
import type { Database } from './database.js';
import { ApiTokenEntity, AuditLogEntity, DepartmentEntity, UserEntity, UserSessionEntity } from './entities/index.js';

async function writeAudit(manager: EntityManager, audit: AuditRecord | null): Promise<void> {
  if (audit) await manager.insert(AuditLogEntity, { ...audit, details: JSON.stringify(audit.details) });
}

// Field by field: the row also holds the password hash and the lock-out counters, which never leave this file
// as part of a user.
const toUser = (row: UserEntity): UserRecord => ({
  id: row.id,
  name: row.name,
  username: row.username,
  role: row.role as Role,
  departmentId: row.departmentId,
  active: Boolean(row.active),
  mustChangePassword: Boolean(row.mustChangePassword),
  createdAt: row.createdAt,
});
const toCredentials = (row: UserEntity): UserCredentials => ({
  passwordHash: row.passwordHash,
  failedSignIns: Number(row.failedSignIns),
  lockedUntil: row.lockedUntil,
  invitationHash: row.invitationHash,
  invitationExpiresAt: row.invitationExpiresAt,
});
const toDepartment = (row: DepartmentEntity): DepartmentRecord => ({ ...row, active: Boolean(row.active) });

export class TypeOrmIdentityRepository extends IdentityRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async authenticate(tokenHash: string, now: string): Promise<Authentication | null> {
    // On every request: one prepared statement.
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ token_id: string; last_used_at: string | null; user_id: string; name: string; role: string; department_id: string | null }>(
        'SELECT t.id AS token_id, t.last_used_at AS last_used_at, u.id AS user_id, u.name AS name, u.role AS role, u.department_id AS department_id ' +
          'FROM api_tokens t INNER JOIN users u ON u.id = t.user_id ' +
          'WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.active = ?',
        [tokenHash, now, this.db.sqlBoolean(true)],
      ),
    );
    if (!row) return null;
    return {
      tokenId: row.token_id,
      lastUsedAt: row.last_used_at,
      actor: { userId: row.user_id, name: row.name, role: row.role as Role, departmentId: row.department_id },
    };
  }

  async touchToken(tokenId: string, at: string): Promise<void> {
    await this.db.write((manager) => manager.update(ApiTokenEntity, { id: tokenId }, { lastUsedAt: at }));
  }

  countUsers(): Promise<number> {
    return this.db.read((manager) => manager.count(UserEntity));
  }

  async findUser(id: string): Promise<UserRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(UserEntity, { id }));
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.read((manager) => manager.find(UserEntity, { order: { name: 'ASC', id: 'ASC' } }));
    return rows.map(toUser);
  }

  async insertUser(user: UserRecord, token: ApiTokenRecord, audit: AuditRecord | null, passwordHash: string | null = null): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(UserEntity, {
        ...user,
        usernameKey: nameKey(user.username),
        passwordHash,
        failedSignIns: 0,
        lockedUntil: null,
        invitationHash: null,
        invitationExpiresAt: null,
      });
      await manager.insert(ApiTokenEntity, token);
      await writeAudit(manager, audit);
    });
  }

  async setUserActive(id: string, active: boolean, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.update(UserEntity, { id }, { active });
      if (!active) await manager.delete(UserSessionEntity, { userId: id });
      await writeAudit(manager, audit);
    });
  }

  async findUserByUsername(usernameKey: string): Promise<{ user: UserRecord; credentials: UserCredentials } | null> {
    const row = await this.db.read((manager) => manager.findOneBy(UserEntity, { usernameKey }));
    return row ? { user: toUser(row), credentials: toCredentials(row) } : null;
  }

  async setPassword(
    userId: string,
    change: { passwordHash: string; mustChangePassword: boolean; keepSessionId: string | null },
    audit: AuditRecord,
  ): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.update(
        UserEntity,
        { id: userId },
        {
          passwordHash: change.passwordHash,
          mustChangePassword: change.mustChangePassword,
          failedSignIns: 0,
          lockedUntil: null,
          invitationHash: null,
          invitationExpiresAt: null,
        },
      );
      const sessions = manager.createQueryBuilder().delete().from(UserSessionEntity).where('user_id = :userId', { userId });
      if (change.keepSessionId !== null) sessions.andWhere('id <> :keep', { keep: change.keepSessionId });
      await sessions.execute();
      await writeAudit(manager, audit);
    });
  }

  async setInvitation(userId: string, invitation: { hash: string; expiresAt: string }, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.update(UserEntity, { id: userId }, { invitationHash: invitation.hash, invitationExpiresAt: invitation.expiresAt });
      await writeAudit(manager, audit);
    });
  }

  recordFailedSignIn(userId: string, maxFailures: number, lockUntil: string): Promise<{ locked: boolean }> {
    return this.db.write(async (manager) => {
      // An increment in SQL, so that concurrent attempts are all counted.
      await manager.increment(UserEntity, { id: userId }, 'failedSignIns', 1);
      const row = await manager.findOneBy(UserEntity, { id: userId });
      if (!row || Number(row.failedSignIns) < maxFailures) return { locked: false };
      await manager.update(UserEntity, { id: userId }, { failedSignIns: 0, lockedUntil: lockUntil });
      return { locked: true };
    });
  }

  async clearFailedSignIns(userId: string): Promise<void> {
    await this.db.write((manager) => manager.update(UserEntity, { id: userId }, { failedSignIns: 0, lockedUntil: null }));
  }

  async insertSession(session: SessionRecord, now: string): Promise<void> {
    await this.db.write(async (manager) => {
      // Ended sessions of this user are dropped here; idle ones, and other users', go in deleteEndedSessions's batches.
      await manager
        .createQueryBuilder()
        .delete()
        .from(UserSessionEntity)
        .where('user_id = :userId AND expires_at <= :now', { userId: session.userId, now })
        .execute();
      await manager.insert(UserSessionEntity, session);
    });
  }

  async findSession(secretHash: string): Promise<SessionAuthentication | null> {
    return this.db.read(async (manager) => {
      const session = await manager.findOneBy(UserSessionEntity, { secretHash });
      if (!session) return null;
      const user = await manager.findOneBy(UserEntity, { id: session.userId, active: true });
      return user ? { session: { ...session }, user: toUser(user) } : null;
    });
  }

  async findSessionById(id: string): Promise<SessionAuthentication | null> {
    return this.db.read(async (manager) => {
      const session = await manager.findOneBy(UserSessionEntity, { id });
      if (!session) return null;
      const user = await manager.findOneBy(UserEntity, { id: session.userId, active: true });
      return user ? { session: { ...session }, user: toUser(user) } : null;
    });
  }

  async deleteEndedSessions(now: string, idleSince: string, limit: number): Promise<number> {
    return this.db.write(async (manager) => {
      // Timestamps are ISO strings of one length, so they compare as text on both dialects.
      const ended = await manager
        .createQueryBuilder(UserSessionEntity, 'user_session')
        .select('user_session.id', 'id')
        .where('user_session.expiresAt <= :now OR user_session.lastSeenAt <= :idleSince', { now, idleSince })
        .limit(limit)
        .getRawMany<{ id: string }>();
      if (ended.length === 0) return 0;
      await manager.delete(UserSessionEntity, { id: In(ended.map((row) => row.id)) });
      return ended.length;
    });
  }

  async touchSession(id: string, at: string): Promise<void> {
    await this.db.write((manager) => manager.update(UserSessionEntity, { id }, { lastSeenAt: at }));
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.write((manager) => manager.delete(UserSessionEntity, { id }));
  }

  findToken(id: string): Promise<ApiTokenRecord | null> {
    return this.db.read((manager) => manager.findOneBy(ApiTokenEntity, { id }));
  }

  listTokens(userId: string): Promise<ApiTokenRecord[]> {
    return this.db.read((manager) => manager.find(ApiTokenEntity, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  async insertToken(token: ApiTokenRecord, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(ApiTokenEntity, token);
      await writeAudit(manager, audit);
    });
  }

  async revokeToken(id: string, at: string, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.update(ApiTokenEntity, { id }, { revokedAt: at });
      await writeAudit(manager, audit);
    });
  }

  async listDepartments(): Promise<DepartmentRecord[]> {
    const rows = await this.db.read((manager) => manager.find(DepartmentEntity, { order: { name: 'ASC', id: 'ASC' } }));
    return rows.map(toDepartment);
  }

  async findDepartment(id: string): Promise<DepartmentRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(DepartmentEntity, { id }));
    return row ? toDepartment(row) : null;
  }

  async insertDepartment(department: DepartmentRecord, audit: AuditRecord | null): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(DepartmentEntity, department);
      await writeAudit(manager, audit);
    });
  }

  async updateDepartment(
    id: string,
    changes: Partial<Pick<DepartmentRecord, 'name' | 'parentId' | 'headUserId' | 'active'>>,
    audit: AuditRecord | null,
  ): Promise<void> {
    await this.db.write(async (manager) => {
      if (Object.keys(changes).length > 0) await manager.update(DepartmentEntity, { id }, changes);
      await writeAudit(manager, audit);
    });
  }

  async listAudit(limit: number, before?: string): Promise<AuditRecord[]> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(AuditLogEntity, 'a').orderBy('a.id', 'DESC').limit(limit);
      if (before) query.where('a.id < :before', { before });
      return query.getMany();
    });
    return rows.map((row) => ({ ...row, targetType: row.targetType as AuditRecord['targetType'], details: JSON.parse(row.details) }));
  }
}
