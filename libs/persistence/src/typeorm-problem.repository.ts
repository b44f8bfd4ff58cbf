import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  type HistoryRecord,
  OrganisationDirectory,
  type ProblemChange,
  type ProblemFilter,
  type ProblemRecord,
  ProblemRepository,
  type ProblemScope,
} from '../../engine/src/index.js';
import type { ProblemState } from '../../domain/src/index.js';
import type { Database } from './database.js';
import {
  DepartmentEntity,
  OutboxEventEntity,
  ProblemDepartmentEntity,
  ProblemEntity,
  ProblemHistoryEntity,
} from './entities/index.js';
import { ProblemMapper } from './problem.mapper.js';

/** Narrow inserts through the query builder: no entity hydration or change detection on the write path. */
async function insertRows(manager: EntityManager, change: ProblemChange): Promise<void> {
  await manager.createQueryBuilder().insert().into(ProblemHistoryEntity).values(ProblemMapper.historyToRow(change.history)).execute();
  await manager.createQueryBuilder().insert().into(OutboxEventEntity).values(ProblemMapper.outboxToRow(change.outbox)).execute();
  if (change.assignedDepartmentId !== undefined) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ProblemDepartmentEntity)
      .values({ problemId: change.problem.id, departmentId: change.assignedDepartmentId, assignedAt: change.history.occurredAt })
      .orIgnore()
      .execute();
  }
}

/**
 * The one translation of a ProblemScope into SQL, used by every read (single, list, and so history), so what a
 * caller can list and what they can open never disagree.
 */
function applyScope(query: SelectQueryBuilder<ProblemEntity>, scope: ProblemScope): void {
  switch (scope.kind) {
    case 'everything':
      return;
    case 'inspector':
      query.andWhere(
        new Brackets((visible) => {
          visible
            .where('p.filed_by = :scopeUser', { scopeUser: scope.userId })
            .orWhere('p.inspection_ref IN (SELECT mine.inspection_ref FROM problems mine WHERE mine.filed_by = :scopeUser)');
        }),
      );
      return;
    case 'departments':
      if (scope.departmentIds.length === 0) {
        query.andWhere('1 = 0');
        return;
      }
      query.andWhere(
        new Brackets((visible) => {
          visible
            .where('p.department_id IN (:...scopeDepartments)', { scopeDepartments: scope.departmentIds })
            .orWhere('p.filer_department_id IN (:...scopeDepartments)')
            .orWhere(
              'EXISTS (SELECT 1 FROM problem_departments pd WHERE pd.problem_id = p.id AND pd.department_id IN (:...scopeDepartments))',
            );
        }),
      );
      return;
  }
}

function applyFilter(query: SelectQueryBuilder<ProblemEntity>, filter: ProblemFilter): void {
  if (filter.state) query.andWhere('p.state = :state', { state: filter.state });
  if (filter.departmentId) query.andWhere('p.department_id = :departmentId', { departmentId: filter.departmentId });
  if (filter.severity) query.andWhere('p.severity = :severity', { severity: filter.severity });
  if (filter.inspectionRef) query.andWhere('p.inspection_ref = :inspectionRef', { inspectionRef: filter.inspectionRef });
  if (filter.text) {
    const pattern = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere(
      new Brackets((text) => {
        for (const column of ['title', 'description', 'location']) {
          text.orWhere(`LOWER(p.${column}) LIKE :pattern ESCAPE '\\'`, { pattern });
        }
      }),
    );
  }
}

export class TypeOrmProblemRepository extends ProblemRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async findById(id: string): Promise<ProblemRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(ProblemEntity, { id }));
    return row ? ProblemMapper.toRecord(row) : null;
  }

  async findVisible(id: string, scope: ProblemScope): Promise<ProblemRecord | null> {
    const row = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(ProblemEntity, 'p').where('p.id = :id', { id });
      applyScope(query, scope);
      return query.getOne();
    });
    return row ? ProblemMapper.toRecord(row) : null;
  }

  async countOpenAssignedTo(departmentId: string): Promise<number> {
    return this.db.read((manager) =>
      manager
        .createQueryBuilder(ProblemEntity, 'p')
        .where('p.department_id = :departmentId', { departmentId })
        .andWhere('p.state NOT IN (:...finished)', { finished: ['closed', 'cancelled'] })
        .getCount(),
    );
  }

  async insertFiled(change: ProblemChange): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.createQueryBuilder().insert().into(ProblemEntity).values(ProblemMapper.toRow(change.problem)).execute();
      await insertRows(manager, change);
    });
  }

  async commitTransition(change: ProblemChange, expectedVersion: number): Promise<boolean> {
    const { id, ...columns } = ProblemMapper.toRow(change.problem);
    return this.db.write(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(ProblemEntity)
        .set(columns)
        .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
        .execute();
      if (result.affected !== 1) return false;
      await insertRows(manager, change);
      return true;
    });
  }

  async list(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(ProblemEntity, 'p');
      applyScope(query, scope);
      applyFilter(query, filter);
      if (filter.after) query.andWhere('p.id < :after', { after: filter.after });
      return query.orderBy('p.id', 'DESC').limit(filter.limit).getMany();
    });
    return rows.map(ProblemMapper.toRecord);
  }

  async countByState(filter: ProblemFilter, scope: ProblemScope): Promise<Partial<Record<ProblemState, number>>> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(ProblemEntity, 'p').select('p.state', 'state').addSelect('COUNT(*)', 'count');
      applyScope(query, scope);
      applyFilter(query, filter);
      return query.groupBy('p.state').getRawMany<{ state: ProblemState; count: string | number }>();
    });
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
  }

  async history(problemId: string): Promise<HistoryRecord[]> {
    const rows = await this.db.read((manager) =>
      manager.find(ProblemHistoryEntity, { where: { problemId }, order: { version: 'ASC' } }),
    );
    return rows.map(ProblemMapper.historyToRecord);
  }
}

export class TypeOrmOrganisationDirectory extends OrganisationDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async isActiveDepartment(id: string): Promise<boolean> {
    return this.db.read((manager) => manager.existsBy(DepartmentEntity, { id, active: true }));
  }

  async subtreeOf(departmentId: string): Promise<string[]> {
    // The tree is small (departments, not problems): one narrow read, walked in memory, on either database.
    const rows: Array<{ id: string; parentId: string | null }> = await this.db.read((manager) =>
      manager.find(DepartmentEntity, { select: { id: true, parentId: true } }),
    );
    const children = new Map<string, string[]>();
    for (const row of rows) {
      if (row.parentId === null) continue;
      children.set(row.parentId, [...(children.get(row.parentId) ?? []), row.id]);
    }
    const subtree: string[] = [];
    const pending = rows.some((row) => row.id === departmentId) ? [departmentId] : [];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      subtree.push(id);
      pending.push(...(children.get(id) ?? []));
    }
    return subtree;
  }
}
