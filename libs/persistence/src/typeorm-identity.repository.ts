import type { Actor, Role } from '../../domain/src/index.js';
import { IdentityRepository, type NewApiToken, type NewDepartment, type NewUser } from '../../identity/src/index.js';
import type { Database } from './database.js';
import { ApiTokenEntity, DepartmentEntity, UserEntity } from './entities/index.js';

export class TypeOrmIdentityRepository extends IdentityRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async findActorByTokenHash(tokenHash: string): Promise<Actor | null> {
    const row = await this.db.read((manager) =>
      manager
        .createQueryBuilder(UserEntity, 'u')
        .innerJoin(ApiTokenEntity, 't', 't.user_id = u.id')
        .where('t.token_hash = :tokenHash', { tokenHash })
        .andWhere('t.revoked_at IS NULL')
        .andWhere('u.active = :active', { active: true })
        .getOne(),
    );
    return row ? { userId: row.id, name: row.name, role: row.role as Role, departmentId: row.departmentId } : null;
  }

  countUsers(): Promise<number> {
    return this.db.read((manager) => manager.count(UserEntity));
  }

  async insertDepartment(department: NewDepartment): Promise<void> {
    await this.db.write((manager) =>
      manager.insert(DepartmentEntity, { ...department, active: true }),
    );
  }

  async insertUserWithToken(user: NewUser, token: NewApiToken): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(UserEntity, { ...user, active: true });
      await manager.insert(ApiTokenEntity, { ...token, revokedAt: null });
    });
  }

  async insertToken(token: NewApiToken): Promise<void> {
    await this.db.write((manager) => manager.insert(ApiTokenEntity, { ...token, revokedAt: null }));
  }
}
