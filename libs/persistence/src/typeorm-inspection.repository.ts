import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { type Inspection, type InspectionKind, type InspectionMember, newId } from '#domain';
import { type InspectionAudit, InspectionRepository, type InspectionScope, TeamDirectory } from '#engine';
import type { Database } from './database.js';
import { AuditLogEntity, InspectionDepartmentEntity, InspectionEntity, InspectionMemberEntity, UserEntity } from './entities/index.js';

function toRow(inspection: Inspection): InspectionEntity {
  const { organisationId, members: _members, inspectedDepartmentIds: _departments, ...rest } = inspection;
  return Object.assign(new InspectionEntity(), { ...rest, organisationKey: organisationId ?? '' });
}

async function writeAudit(manager: EntityManager, inspectionId: string, audit: InspectionAudit): Promise<void> {
  await manager.insert(AuditLogEntity, {
    id: newId(),
    actorId: audit.actor.userId,
    actorName: audit.actor.name,
    action: audit.action,
    targetType: 'inspection',
    targetId: inspectionId,
    details: JSON.stringify(audit.details),
    occurredAt: audit.at,
  });
}

/** Inspections, their teams and inspected departments; every change audited in its own transaction. */
export class TypeOrmInspectionRepository extends InspectionRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async findById(id: string): Promise<Inspection | null> {
    const [found] = await this.load({ id });
    return found ?? null;
  }

  async findByReference(organisationId: string | null, reference: string): Promise<Inspection | null> {
    const [found] = await this.load({ organisationKey: organisationId ?? '', reference });
    return found ?? null;
  }

  findAllByReference(reference: string, limit: number): Promise<Inspection[]> {
    return this.load({ reference }, limit);
  }

  async insert(inspection: Inspection, audit: InspectionAudit): Promise<boolean> {
    const row = toRow(inspection);
    try {
      return await this.db.write(async (manager) => {
        if ((await manager.countBy(InspectionEntity, { organisationKey: row.organisationKey, reference: row.reference })) > 0) return false;
        await manager.insert(InspectionEntity, row);
        await this.writeMembersAndDepartments(manager, inspection);
        await writeAudit(manager, inspection.id, audit);
        return true;
      });
    } catch (error) {
      // Two creators racing for one reference on PostgreSQL: the unique (organisation, reference) decides.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') return false;
      throw error;
    }
  }

  async update(inspection: Inspection, audit: InspectionAudit): Promise<void> {
    await this.db.write(async (manager) => {
      const { id, ...row } = toRow(inspection);
      await manager.update(InspectionEntity, { id }, row);
      await manager.delete(InspectionDepartmentEntity, { inspectionId: id });
      await this.writeMembersAndDepartments(manager, { ...inspection, members: [] });
      await writeAudit(manager, id, audit);
    });
  }

  async addMember(inspectionId: string, member: InspectionMember, audit: InspectionAudit): Promise<boolean> {
    return this.db.write(async (manager) => {
      if ((await manager.countBy(InspectionMemberEntity, { inspectionId, userId: member.userId })) > 0) return false;
      await manager.insert(InspectionMemberEntity, { inspectionId, ...member });
      await writeAudit(manager, inspectionId, audit);
      return true;
    });
  }

  async removeMember(inspectionId: string, userId: string, audit: InspectionAudit): Promise<boolean> {
    return this.db.write(async (manager) => {
      const result = await manager.delete(InspectionMemberEntity, { inspectionId, userId });
      if (!result.affected) return false;
      await writeAudit(manager, inspectionId, audit);
      return true;
    });
  }

  async list(scope: InspectionScope, filter: { reference?: string; after?: string; limit: number }): Promise<Inspection[]> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(InspectionEntity, 'i').orderBy('i.id', 'DESC').limit(filter.limit);
      if (filter.reference !== undefined) query.andWhere('i.reference = :reference', { reference: filter.reference });
      if (filter.after !== undefined) query.andWhere('i.id < :after', { after: filter.after });
      if (scope.kind === 'member') {
        const visible = ['i.id IN (SELECT m.inspection_id FROM inspection_members m WHERE m.user_id = :userId)'];
        if (scope.officeIds.length > 0) visible.push('i.office_id IN (:...officeIds)');
        if (scope.inspectedDepartmentId !== null) {
          visible.push('i.id IN (SELECT d.inspection_id FROM inspection_departments d WHERE d.department_id = :departmentId)');
        }
        if (scope.filedBy !== null) visible.push('i.id IN (SELECT p.inspection_id FROM problems p WHERE p.filed_by = :filedBy)');
        query.andWhere(`(${visible.join(' OR ')})`, {
          filedBy: scope.filedBy,
          userId: scope.userId,
          officeIds: scope.officeIds,
          departmentId: scope.inspectedDepartmentId,
        });
      }
      return query.getMany();
    });
    return this.withTeams(rows);
  }

  async hasFiledUnder(inspectionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all('SELECT 1 AS found FROM problems WHERE inspection_id = ? AND filed_by = ? LIMIT 1', [inspectionId, userId]),
    );
    return rows.length > 0;
  }

  private async load(where: FindOptionsWhere<InspectionEntity>, limit = 1): Promise<Inspection[]> {
    const rows = await this.db.read((manager) => manager.find(InspectionEntity, { where, order: { id: 'ASC' }, take: limit }));
    return this.withTeams(rows);
  }

  private async withTeams(rows: InspectionEntity[]): Promise<Inspection[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [members, departments] = await this.db.read((manager) =>
      Promise.all([
        manager.find(InspectionMemberEntity, { where: { inspectionId: In(ids) }, order: { addedAt: 'ASC', userId: 'ASC' } }),
        manager.find(InspectionDepartmentEntity, { where: { inspectionId: In(ids) }, order: { departmentId: 'ASC' } }),
      ]),
    );
    return rows.map(({ organisationKey, ...row }) => ({
      ...row,
      kind: row.kind as InspectionKind,
      organisationId: organisationKey === '' ? null : organisationKey,
      members: members
        .filter((member) => member.inspectionId === row.id)
        .map(({ userId, addedBy, addedAt }) => ({ userId, addedBy, addedAt })),
      inspectedDepartmentIds: departments.filter((department) => department.inspectionId === row.id).map((department) => department.departmentId),
    }));
  }

  private async writeMembersAndDepartments(manager: EntityManager, inspection: Inspection): Promise<void> {
    if (inspection.members.length > 0) {
      await manager.insert(
        InspectionMemberEntity,
        inspection.members.map((member) => ({ inspectionId: inspection.id, ...member })),
      );
    }
    if (inspection.inspectedDepartmentIds.length > 0) {
      await manager.insert(
        InspectionDepartmentEntity,
        inspection.inspectedDepartmentIds.map((departmentId) => ({ inspectionId: inspection.id, departmentId })),
      );
    }
  }
}

export class TypeOrmTeamDirectory extends TeamDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async roleOf(userId: string): Promise<string | null> {
    const row = await this.db.read((manager) => manager.findOneBy(UserEntity, { id: userId }));
    return row && Boolean(row.active) ? row.role : null;
  }
}
