import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  type ClaimedTimer,
  type EscalationTarget,
  type FiledBatchItem,
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
  ImportKeyEntity,
  OutboxEventEntity,
  ProblemDepartmentEntity,
  ProblemEntity,
  ProblemHistoryEntity,
  ProblemEvidenceEntity,
  ProblemLinkEntity,
  SupervisionNoticeEntity,
} from './entities/index.js';
import { placeKey, ProblemMapper } from './problem.mapper.js';

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
  if (change.notices && change.notices.length > 0) {
    await manager.createQueryBuilder().insert().into(SupervisionNoticeEntity).values(change.notices).execute();
  }
  if (change.submittedEvidenceIds && change.submittedEvidenceIds.length > 0) {
    // Only rows no submission has carried yet: a file belongs to the first submission that carried it.
    await manager
      .createQueryBuilder()
      .update(ProblemEvidenceEntity)
      .set({ submittedInVersion: change.problem.version })
      .where('id IN (:...ids) AND problem_id = :problemId AND submitted_in_version IS NULL', {
        ids: change.submittedEvidenceIds,
        problemId: change.problem.id,
      })
      .execute();
  }
}

/** Rows per multi-row INSERT of a bulk filing: well below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 250;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
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
  if (filter.filedFrom) query.andWhere('p.created_at >= :filedFrom', { filedFrom: filter.filedFrom });
  if (filter.filedBefore) query.andWhere('p.created_at < :filedBefore', { filedBefore: filter.filedBefore });
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

  async claimDueTimers(now: string, limit: number, owner: string, leaseUntil: string): Promise<ClaimedTimer[]> {
    // One statement: pick the earliest due timers nobody holds (skipping rows another scheduler has locked, on
    // PostgreSQL) and lease them. The index on next_timer_at keeps this proportional to what is due.
    const pick = this.db.isSqlite
      ? 'SELECT id FROM problems WHERE next_timer_at <= ? AND (timer_lease_until IS NULL OR timer_lease_until < ?) ORDER BY next_timer_at LIMIT ?'
      : 'SELECT id FROM problems WHERE next_timer_at <= $3 AND (timer_lease_until IS NULL OR timer_lease_until < $3) ' +
        'ORDER BY next_timer_at LIMIT $4 FOR UPDATE SKIP LOCKED';
    const sql = this.db.isSqlite
      ? `UPDATE problems SET timer_lease_until = ?, timer_lease_owner = ? WHERE id IN (${pick}) RETURNING id, version, next_timer, next_timer_at`
      : `UPDATE problems SET timer_lease_until = $1, timer_lease_owner = $2 WHERE id IN (${pick}) RETURNING id, version, next_timer, next_timer_at`;
    const params = this.db.isSqlite ? [leaseUntil, owner, now, now, limit] : [leaseUntil, owner, now, limit];
    const result: unknown = await this.db.write((manager) => manager.query(sql, params));
    // PostgreSQL answers an UPDATE with [rows, count]; better-sqlite3 with the rows.
    const rows = (this.db.isSqlite ? result : (result as unknown[])[0]) as Array<{ id: string; version: number; next_timer: string; next_timer_at: string }>;
    return rows
      .map((row) => ({ problemId: row.id, version: Number(row.version), timerId: JSON.parse(row.next_timer).id as string, fireAt: row.next_timer_at }))
      .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.problemId.localeCompare(b.problemId));
  }

  async findRepeatCandidate(category: string, location: string, closedSince: string): Promise<{ id: string; closedAt: string } | null> {
    const row = await this.db.read((manager) =>
      manager
        .createQueryBuilder(ProblemEntity, 'p')
        .select(['p.id', 'p.closedAt'])
        .where('p.place_key = :key', { key: placeKey(category, location) })
        .andWhere('p.closed_at >= :closedSince', { closedSince })
        .orderBy('p.closed_at', 'DESC')
        .limit(1)
        .getOne(),
    );
    return row ? { id: row.id, closedAt: row.closedAt! } : null;
  }

  async links(problemId: string): Promise<Array<{ linkedProblemId: string; kind: 'repeat_of' | 'repeated_by' }>> {
    const rows = await this.db.read((manager) => manager.find(ProblemLinkEntity, { where: { problemId }, order: { createdAt: 'ASC' } }));
    return rows.map((row) => ({ linkedProblemId: row.linkedProblemId, kind: row.kind as 'repeat_of' | 'repeated_by' }));
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
      const { repeatOf, id, createdAt } = change.problem;
      if (repeatOf) {
        // Linked both ways, in the filing's transaction; the earlier problem's own state is not touched.
        await manager.insert(ProblemLinkEntity, [
          { problemId: id, linkedProblemId: repeatOf, kind: 'repeat_of', createdAt },
          { problemId: repeatOf, linkedProblemId: id, kind: 'repeated_by', createdAt },
        ]);
      }
      await insertRows(manager, change);
    });
  }

  async insertFiledBatch(items: FiledBatchItem[]): Promise<Set<string>> {
    return this.db.write(async (manager) => {
      // Claim the keys first: ON CONFLICT DO NOTHING returns only the keys this transaction got, so a key taken
      // before (or by an import committing meanwhile, which PostgreSQL waits for) skips its problem.
      const skipped = new Set<string>();
      const keyed = items.filter((item) => item.importKey !== undefined);
      for (const chunk of chunks(keyed, BATCH_ROWS)) {
        const values = chunk.map((item) => ({
          inspectionRef: item.change.problem.inspectionRef,
          importKey: item.importKey!,
          problemId: item.change.problem.id,
          createdAt: item.change.problem.createdAt,
        }));
        const claimed = await this.claimImportKeys(manager, values);
        for (const value of values) if (!claimed.has(value.problemId)) skipped.add(value.problemId);
      }
      const filed = items.map((item) => item.change).filter((change) => !skipped.has(change.problem.id));
      // Multi-row inserts, chunked below the drivers' bound-parameter limits.
      for (const chunk of chunks(filed, BATCH_ROWS)) {
        await manager.createQueryBuilder().insert().into(ProblemEntity).values(chunk.map((change) => ProblemMapper.toRow(change.problem))).execute();
        await manager.createQueryBuilder().insert().into(ProblemHistoryEntity).values(chunk.map((change) => ProblemMapper.historyToRow(change.history))).execute();
        await manager.createQueryBuilder().insert().into(OutboxEventEntity).values(chunk.map((change) => ProblemMapper.outboxToRow(change.outbox))).execute();
        const links = chunk.flatMap(({ problem: { id, repeatOf, createdAt } }) =>
          repeatOf
            ? [
                { problemId: id, linkedProblemId: repeatOf, kind: 'repeat_of', createdAt },
                { problemId: repeatOf, linkedProblemId: id, kind: 'repeated_by', createdAt },
              ]
            : [],
        );
        if (links.length > 0) await manager.insert(ProblemLinkEntity, links);
      }
      return skipped;
    });
  }

  async takenImportKeys(inspectionRef: string, keys: string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const chunk of chunks(keys, 1000)) {
      const rows = await this.db.read((manager) =>
        manager
          .createQueryBuilder(ImportKeyEntity, 'k')
          .select('k.import_key', 'importKey')
          .where('k.inspection_ref = :inspectionRef', { inspectionRef })
          .andWhere('k.import_key IN (:...chunk)', { chunk })
          .getRawMany<{ importKey: string }>(),
      );
      for (const row of rows) taken.add(row.importKey);
    }
    return taken;
  }

  /** Inserts the keys not yet taken; answers the problem ids whose key this transaction claimed. */
  private async claimImportKeys(
    manager: EntityManager,
    values: Array<{ inspectionRef: string; importKey: string; problemId: string; createdAt: string }>,
  ): Promise<Set<string>> {
    const params = values.flatMap((value) => [value.inspectionRef, value.importKey, value.problemId, value.createdAt]);
    const tuples = values
      .map((_value, index) => (this.db.isSqlite ? '(?, ?, ?, ?)' : `($${index * 4 + 1}, $${index * 4 + 2}, $${index * 4 + 3}, $${index * 4 + 4})`))
      .join(', ');
    const rows: Array<{ problem_id: string }> = await manager.query(
      `INSERT INTO import_keys (inspection_ref, import_key, problem_id, created_at) VALUES ${tuples} ` +
        'ON CONFLICT (inspection_ref, import_key) DO NOTHING RETURNING problem_id',
      params,
    );
    return new Set(rows.map((row) => row.problem_id));
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

  list(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    return this.page(filter, scope, 'DESC');
  }

  listOldestFirst(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    return this.page(filter, scope, 'ASC');
  }

  /** One page in id order; `after` is the last id of the previous page in that order. */
  private async page(filter: ProblemFilter, scope: ProblemScope, order: 'ASC' | 'DESC'): Promise<ProblemRecord[]> {
    const rows = await this.db.read((manager) => {
      const query = manager.createQueryBuilder(ProblemEntity, 'p');
      applyScope(query, scope);
      applyFilter(query, filter);
      if (filter.after) query.andWhere(`p.id ${order === 'DESC' ? '<' : '>'} :after`, { after: filter.after });
      return query.orderBy('p.id', order).limit(filter.limit).getMany();
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

  async escalationTarget(
    departmentId: string,
    recipients: 'departmentHead' | 'supervisingOffice' | 'leadership',
  ): Promise<EscalationTarget | null> {
    const rows = await this.db.read((manager) =>
      manager.find(DepartmentEntity, { select: { id: true, name: true, parentId: true, headUserId: true } }),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    let target = byId.get(departmentId);
    if (!target) return null;
    if (recipients === 'supervisingOffice' && target.parentId && byId.has(target.parentId)) target = byId.get(target.parentId)!;
    if (recipients === 'leadership') {
      const seen = new Set<string>();
      while (target.parentId && byId.has(target.parentId) && !seen.has(target.id)) {
        seen.add(target.id);
        target = byId.get(target.parentId)!;
      }
    }
    return { departmentId: target.id, departmentName: target.name, headUserId: target.headUserId };
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
