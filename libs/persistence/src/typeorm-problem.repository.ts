import { Brackets, type EntityManager } from 'typeorm';
import {
  DepartmentDirectory,
  type HistoryRecord,
  type ProblemChange,
  type ProblemFilter,
  type ProblemRecord,
  ProblemRepository,
} from '../../engine/src/index.js';
import type { Database } from './database.js';
import { DepartmentEntity, OutboxEventEntity, ProblemEntity, ProblemHistoryEntity } from './entities/index.js';
import { ProblemMapper } from './problem.mapper.js';

/** Narrow inserts through the query builder: no entity hydration or change detection on the write path. */
async function insertRows(manager: EntityManager, change: ProblemChange): Promise<void> {
  await manager.createQueryBuilder().insert().into(ProblemHistoryEntity).values(ProblemMapper.historyToRow(change.history)).execute();
  await manager.createQueryBuilder().insert().into(OutboxEventEntity).values(ProblemMapper.outboxToRow(change.outbox)).execute();
}

export class TypeOrmProblemRepository extends ProblemRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async findById(id: string): Promise<ProblemRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(ProblemEntity, { id }));
    return row ? ProblemMapper.toRecord(row) : null;
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

  async list(filter: ProblemFilter): Promise<ProblemRecord[]> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(ProblemEntity, 'p');
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
      if (filter.after) query.andWhere('p.id < :after', { after: filter.after });
      return query.orderBy('p.id', 'DESC').limit(filter.limit).getMany();
    });
    return rows.map(ProblemMapper.toRecord);
  }

  async history(problemId: string): Promise<HistoryRecord[]> {
    const rows = await this.db.read((manager) =>
      manager.find(ProblemHistoryEntity, { where: { problemId }, order: { version: 'ASC' } }),
    );
    return rows.map(ProblemMapper.historyToRecord);
  }
}

export class TypeOrmDepartmentDirectory extends DepartmentDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async isActiveDepartment(id: string): Promise<boolean> {
    return this.db.read((manager) => manager.existsBy(DepartmentEntity, { id, active: true }));
  }
}
