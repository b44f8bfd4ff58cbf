import type { EntityManager } from 'typeorm';
import {
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
import { DepartmentTree, type ProblemState } from '../../domain/src/index.js';
import { escalationDepartment } from '../../../workflows/rectification/index.js';
import type { Database, SqlSession } from './database.js';
import {
  OutboxEventEntity,
  PROBLEM_FIXED_AT_FILING,
  ProblemEntity,
  ProblemHistoryEntity,
  ProblemLinkEntity,
  SupervisionNoticeEntity,
} from './entities/index.js';
import { placeKey, ProblemMapper } from './problem.mapper.js';
import { RowStatements } from './row-statements.js';

/** Rows per multi-row INSERT of a bulk filing: well below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 250;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** SQL conditions with `?` placeholders and their values, in order. */
interface Condition {
  sql: string;
  params: unknown[];
}

function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The one translation of a ProblemScope into SQL (on the `problems` table as `p`), used by every read (single,
 * list, count, and so history), so what a caller can list and what they can open never disagree.
 */
function scopeCondition(scope: ProblemScope): Condition | null {
  switch (scope.kind) {
    case 'everything':
      return null;
    case 'inspector':
      return {
        // Their own filings, and the inspections whose team they are on: membership is granted by whoever runs
        // the inspection, never by filing under its reference.
        sql: '(p.filed_by = ? OR p.inspection_id IN (SELECT m.inspection_id FROM inspection_members m WHERE m.user_id = ?))',
        params: [scope.userId, scope.userId],
      };
    case 'departments': {
      const ids = scope.departmentIds;
      if (ids.length === 0) return { sql: '1 = 0', params: [] };
      return {
        sql:
          `(p.department_id IN (${marks(ids.length)}) OR p.filer_department_id IN (${marks(ids.length)}) ` +
          `OR EXISTS (SELECT 1 FROM problem_departments pd WHERE pd.problem_id = p.id AND pd.department_id IN (${marks(ids.length)})))`,
        params: [...ids, ...ids, ...ids],
      };
    }
  }
}

function filterConditions(filter: ProblemFilter): Condition[] {
  const conditions: Condition[] = [];
  if (filter.state) conditions.push({ sql: 'p.state = ?', params: [filter.state] });
  if (filter.departmentId) conditions.push({ sql: 'p.department_id = ?', params: [filter.departmentId] });
  if (filter.severity) conditions.push({ sql: 'p.severity = ?', params: [filter.severity] });
  if (filter.inspectionRef) conditions.push({ sql: 'p.inspection_ref = ?', params: [filter.inspectionRef] });
  if (filter.inspectionId) conditions.push({ sql: 'p.inspection_id = ?', params: [filter.inspectionId] });
  if (filter.filedFrom) conditions.push({ sql: 'p.created_at >= ?', params: [filter.filedFrom] });
  if (filter.filedBefore) conditions.push({ sql: 'p.created_at < ?', params: [filter.filedBefore] });
  if (filter.deadlineStates && filter.deadlineStates.length > 0) {
    const states = filter.deadlineStates;
    // A row from before deadline states were stored reads as notSet (ProblemMapper).
    const unset = states.includes('notSet') ? ' OR p.deadline_state IS NULL' : '';
    conditions.push({ sql: `(p.deadline_state IN (${marks(states.length)})${unset})`, params: [...states] });
  }
  if (filter.text) {
    const pattern = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const columns = ['title', 'description', 'location'];
    conditions.push({
      sql: `(${columns.map((column) => `LOWER(p.${column}) LIKE ? ESCAPE '\\'`).join(' OR ')})`,
      params: columns.map(() => pattern),
    });
  }
  return conditions;
}

function where(conditions: Array<Condition | null>): Condition {
  const present = conditions.filter((condition): condition is Condition => condition !== null);
  if (present.length === 0) return { sql: '', params: [] };
  return { sql: ` WHERE ${present.map((condition) => condition.sql).join(' AND ')}`, params: present.flatMap((condition) => condition.params) };
}

/**
 * Problems, their history and their outbox on plain prepared SQL (Database.sqlRead/sqlWrite): a transition is one
 * guarded UPDATE and a few INSERTs in one transaction, with no ORM entity hydration or query building per event.
 * The statements are derived from the entities, which stay the one description of each table.
 */
export class TypeOrmProblemRepository extends ProblemRepository {
  private statements?: {
    problem: RowStatements<ProblemEntity>;
    /** A transition's guarded UPDATE (the columns it can change, where the version is still the expected one). */
    transition: ReturnType<RowStatements<ProblemEntity>['update']>;
    history: RowStatements<ProblemHistoryEntity>;
    outbox: RowStatements<OutboxEventEntity>;
    notice: RowStatements<SupervisionNoticeEntity>;
    link: RowStatements<ProblemLinkEntity>;
  };

  constructor(private readonly db: Database) {
    super();
  }

  /** Built on first use, once the data source's metadata exists. */
  private get rows() {
    if (!this.statements) {
      const { dataSource } = this.db;
      const problem = new RowStatements(dataSource, ProblemEntity);
      this.statements = {
        problem,
        transition: problem.update(PROBLEM_FIXED_AT_FILING, 'id = ? AND version = ?'),
        history: new RowStatements(dataSource, ProblemHistoryEntity),
        outbox: new RowStatements(dataSource, OutboxEventEntity),
        notice: new RowStatements(dataSource, SupervisionNoticeEntity),
        link: new RowStatements(dataSource, ProblemLinkEntity),
      };
    }
    return this.statements;
  }

  async findById(id: string): Promise<ProblemRecord | null> {
    return this.findVisible(id, { kind: 'everything' });
  }

  async findVisible(id: string, scope: ProblemScope): Promise<ProblemRecord | null> {
    const condition = where([{ sql: 'p.id = ?', params: [id] }, scopeCondition(scope)]);
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<ProblemEntity>(`SELECT ${this.rows.problem.selectList} FROM problems p${condition.sql}`, condition.params),
    );
    return row ? ProblemMapper.toRecord(row) : null;
  }

  async claimDueTimers(now: string, limit: number, owner: string, leaseUntil: string): Promise<ProblemRecord[]> {
    // One statement: pick the earliest due timers nobody holds (skipping rows another scheduler has locked, on
    // PostgreSQL) and lease them, returning the rows so firing needs no second read. The index on next_timer_at
    // keeps this proportional to what is due.
    const pick =
      'SELECT id FROM problems WHERE next_timer_at <= ? AND (timer_lease_until IS NULL OR timer_lease_until < ?) ' +
      `ORDER BY next_timer_at LIMIT ?${this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED'}`;
    const rows = await this.db.sqlWrite((sql) =>
      sql.all<ProblemEntity>(
        `UPDATE problems SET timer_lease_until = ?, timer_lease_owner = ? WHERE id IN (${pick}) RETURNING ${this.rows.problem.selectList}`,
        [leaseUntil, owner, now, now, limit],
      ),
    );
    return rows
      .sort((a, b) => a.nextTimerAt!.localeCompare(b.nextTimerAt!) || a.id.localeCompare(b.id))
      .map(ProblemMapper.toRecord);
  }

  async findRepeatCandidate(
    category: string,
    location: string,
    closedSince: string,
    organisationId: string | null,
  ): Promise<{ id: string; closedAt: string } | null> {
    // Only within the organisation: another organisation's closed problem is none of this filing's business.
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ id: string; closedAt: string }>(
        'SELECT p.id, p.closed_at AS "closedAt" FROM problems p JOIN inspections i ON i.id = p.inspection_id ' +
          'WHERE p.place_key = ? AND p.closed_at >= ? AND i.organisation_key = ? ORDER BY p.closed_at DESC LIMIT 1',
        [placeKey(category, location), closedSince, organisationId ?? ''],
      ),
    );
    return row ?? null;
  }

  async visibleIds(ids: string[], scope: ProblemScope): Promise<Set<string>> {
    const visible = new Set<string>();
    for (const chunk of chunks([...new Set(ids)], 500)) {
      const condition = where([{ sql: `p.id IN (${marks(chunk.length)})`, params: chunk }, scopeCondition(scope)]);
      const rows = await this.db.sqlRead((sql) => sql.all<{ id: string }>(`SELECT p.id FROM problems p${condition.sql}`, condition.params));
      for (const row of rows) visible.add(row.id);
    }
    return visible;
  }

  async links(problemId: string): Promise<Array<{ linkedProblemId: string; kind: 'repeat_of' | 'repeated_by' }>> {
    return this.db.sqlRead((sql) =>
      sql.all<{ linkedProblemId: string; kind: 'repeat_of' | 'repeated_by' }>(
        'SELECT linked_problem_id AS "linkedProblemId", kind FROM problem_links WHERE problem_id = ? ORDER BY created_at',
        [problemId],
      ),
    );
  }

  async countOpenAssignedTo(departmentId: string): Promise<number> {
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ count: string | number }>(
        "SELECT COUNT(*) AS count FROM problems WHERE department_id = ? AND state NOT IN ('closed', 'cancelled')",
        [departmentId],
      ),
    );
    return Number(row.count);
  }

  async insertFiled(change: ProblemChange): Promise<void> {
    await this.db.sqlWrite(async (sql) => {
      const { problem, link } = this.rows;
      await sql.run(problem.insert, problem.values(ProblemMapper.toRow(change.problem)));
      const { repeatOf, id, createdAt } = change.problem;
      if (repeatOf) {
        // Linked both ways, in the filing's transaction; the earlier problem's own state is not touched.
        await sql.run(link.insert, link.values({ problemId: id, linkedProblemId: repeatOf, kind: 'repeat_of', createdAt }));
        await sql.run(link.insert, link.values({ problemId: repeatOf, linkedProblemId: id, kind: 'repeated_by', createdAt }));
      }
      await this.insertEventRows(sql, change);
    });
  }

  async commitTransition(change: ProblemChange, expectedVersion: number): Promise<boolean> {
    const { transition } = this.rows;
    const values = [...transition.values(ProblemMapper.toRow(change.problem)), change.problem.id, expectedVersion];
    return this.db.sqlWrite(async (sql) => {
      const changed = await sql.run(transition.sql, values);
      if (changed !== 1) return false;
      await this.insertEventRows(sql, change);
      return true;
    });
  }

  /** What every accepted event writes beside the problem row: history, outbox, and what the event carries. */
  private async insertEventRows(sql: SqlSession, change: ProblemChange): Promise<void> {
    const { history, outbox, notice } = this.rows;
    await sql.run(history.insert, history.values(ProblemMapper.historyToRow(change.history)));
    await sql.run(outbox.insert, outbox.values(ProblemMapper.outboxToRow(change.outbox)));
    if (change.assignedDepartmentId !== undefined) {
      await sql.run('INSERT INTO problem_departments (problem_id, department_id, assigned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
        change.problem.id,
        change.assignedDepartmentId,
        change.history.occurredAt,
      ]);
    }
    for (const record of change.notices ?? []) await sql.run(notice.insert, notice.values(record));
    if (change.submittedEvidenceIds && change.submittedEvidenceIds.length > 0) {
      // Only rows no submission has carried yet: a file belongs to the first submission that carried it.
      const ids = change.submittedEvidenceIds;
      await sql.run(
        `UPDATE problem_evidence SET submitted_in_version = ? WHERE id IN (${marks(ids.length)}) AND problem_id = ? AND submitted_in_version IS NULL`,
        [change.problem.version, ...ids, change.problem.id],
      );
    }
  }

  async insertFiledBatch(items: FiledBatchItem[]): Promise<Set<string>> {
    return this.db.write(async (manager) => {
      // Claim the keys first: ON CONFLICT DO NOTHING returns only the keys this transaction got, so a key taken
      // before (or by an import committing meanwhile, which PostgreSQL waits for) skips its problem.
      const skipped = new Set<string>();
      const keyed = items.filter((item) => item.importKey !== undefined);
      for (const chunk of chunks(keyed, BATCH_ROWS)) {
        const values = chunk.map((item) => ({
          inspectionId: item.change.problem.inspectionId,
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

  async takenImportKeys(inspectionId: string, keys: string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const chunk of chunks(keys, 500)) {
      const rows = await this.db.sqlRead((sql) =>
        sql.all<{ importKey: string }>(
          `SELECT import_key AS "importKey" FROM import_keys WHERE inspection_id = ? AND import_key IN (${marks(chunk.length)})`,
          [inspectionId, ...chunk],
        ),
      );
      for (const row of rows) taken.add(row.importKey);
    }
    return taken;
  }

  /** Inserts the keys not yet taken; answers the problem ids whose key this transaction claimed. */
  private async claimImportKeys(
    manager: EntityManager,
    values: Array<{ inspectionId: string; importKey: string; problemId: string; createdAt: string }>,
  ): Promise<Set<string>> {
    const params = values.flatMap((value) => [value.inspectionId, value.importKey, value.problemId, value.createdAt]);
    const tuples = values
      .map((_value, index) => (this.db.isSqlite ? '(?, ?, ?, ?)' : `($${index * 4 + 1}, $${index * 4 + 2}, $${index * 4 + 3}, $${index * 4 + 4})`))
      .join(', ');
    const rows: Array<{ problem_id: string }> = await manager.query(
      `INSERT INTO import_keys (inspection_id, import_key, problem_id, created_at) VALUES ${tuples} ` +
        'ON CONFLICT (inspection_id, import_key) DO NOTHING RETURNING problem_id',
      params,
    );
    return new Set(rows.map((row) => row.problem_id));
  }

  list(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    return filter.sort === 'deadline' ? this.pageByDeadline(filter, scope) : this.page(filter, scope, 'DESC');
  }

  listOldestFirst(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    return this.page(filter, scope, 'ASC');
  }

  /** One page in id order; `after` is the last id of the previous page in that order. */
  private async page(filter: ProblemFilter, scope: ProblemScope, order: 'ASC' | 'DESC'): Promise<ProblemRecord[]> {
    const after = filter.after ? { sql: `p.id ${order === 'DESC' ? '<' : '>'} ?`, params: [filter.after] } : null;
    const condition = where([scopeCondition(scope), ...filterConditions(filter), after]);
    const rows = await this.db.sqlRead((sql) =>
      sql.all<ProblemEntity>(`SELECT ${this.rows.problem.selectList} FROM problems p${condition.sql} ORDER BY p.id ${order} LIMIT ?`, [
        ...condition.params,
        filter.limit,
      ]),
    );
    return rows.map(ProblemMapper.toRecord);
  }

  /**
   * One page by deadline ascending, problems without a deadline last, ties by id ascending (deadlines are ISO
   * instants in UTC, so text order is time order on both databases). The keyset continues after the previous
   * page's last (deadline, id): later deadlines, the same deadline with a greater id, or any undated problem;
   * after an undated one, only undated ones with a greater id.
   */
  private async pageByDeadline(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    const last = filter.afterDeadline;
    const after: Condition | null = !last
      ? null
      : last.deadline === null
        ? { sql: 'p.deadline IS NULL AND p.id > ?', params: [last.id] }
        : { sql: '(p.deadline > ? OR (p.deadline = ? AND p.id > ?) OR p.deadline IS NULL)', params: [last.deadline, last.deadline, last.id] };
    const condition = where([scopeCondition(scope), ...filterConditions(filter), after]);
    const rows = await this.db.sqlRead((sql) =>
      sql.all<ProblemEntity>(
        `SELECT ${this.rows.problem.selectList} FROM problems p${condition.sql} ` +
          'ORDER BY CASE WHEN p.deadline IS NULL THEN 1 ELSE 0 END, p.deadline, p.id LIMIT ?',
        [...condition.params, filter.limit],
      ),
    );
    return rows.map(ProblemMapper.toRecord);
  }

  async countByState(filter: ProblemFilter, scope: ProblemScope): Promise<Partial<Record<ProblemState, number>>> {
    const condition = where([scopeCondition(scope), ...filterConditions(filter)]);
    const rows = await this.db.sqlRead((sql) =>
      sql.all<{ state: ProblemState; count: string | number }>(`SELECT p.state AS state, COUNT(*) AS count FROM problems p${condition.sql} GROUP BY p.state`, condition.params),
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
  }

  async history(problemId: string): Promise<HistoryRecord[]> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all<ProblemHistoryEntity>(`SELECT ${this.rows.history.selectList} FROM problem_history WHERE problem_id = ? ORDER BY version`, [problemId]),
    );
    return rows.map(ProblemMapper.historyToRecord);
  }
}

export class TypeOrmOrganisationDirectory extends OrganisationDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async isActiveDepartment(id: string): Promise<boolean> {
    const rows = await this.db.sqlRead((sql) => sql.all('SELECT 1 AS found FROM departments WHERE id = ? AND active = ?', [id, this.db.sqlBoolean(true)]));
    return rows.length > 0;
  }

  /** The tree is small (departments, not problems): one narrow read, walked in memory, on either database. */
  private departments(): Promise<Array<{ id: string; name: string; parentId: string | null; headUserId: string | null }>> {
    return this.db.sqlRead((sql) =>
      sql.all('SELECT id, name, parent_id AS "parentId", head_user_id AS "headUserId" FROM departments'),
    );
  }

  async escalationTarget(
    departmentId: string,
    recipients: 'departmentHead' | 'supervisingOffice' | 'leadership',
  ): Promise<EscalationTarget | null> {
    const target = escalationDepartment(new DepartmentTree(await this.departments()), departmentId, recipients);
    return target ? { departmentId: target.id, departmentName: target.name, headUserId: target.headUserId } : null;
  }

  async organisationOf(departmentId: string): Promise<string | null> {
    return new DepartmentTree(await this.departments()).root(departmentId)?.id ?? null;
  }

  async subtreeOf(departmentId: string): Promise<string[]> {
    const rows = await this.departments();
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
