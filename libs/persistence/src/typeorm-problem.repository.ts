import { type FiledBatchItem, type HistoryRecord, type ProblemChange, type ProblemFilter, type ProblemRecord, ProblemRepository, type SheetRecord } from '#engine';
import type { ProblemScope } from '#access';
import type { ProblemState } from '#domain';
import type { TrafficLight } from '#rectification';
import type { CommittedHere } from './committed-here.js';
import type { Database, SqlSession } from './database.js';
import { DatabaseUnavailableError } from './database-outage.js';
import {
  OutboxEventEntity,
  PROBLEM_FIXED_AT_FILING,
  ProblemEntity,
  ProblemHistoryEntity,
  ProblemLinkEntity,
  SupervisionNoticeEntity,
} from './entities/index.js';
import { placeKey, ProblemMapper } from './problem.mapper.js';
import { chunks, type Condition, deadlineStateConditions, filterConditions, marks, scopeCondition, where } from './problem-sql.js';
import { RowStatements } from './row-statements.js';
import { toOutboxEvent } from './typeorm-event-delivery.repository.js';

/** Thrown inside a transaction to roll it back when its guarded UPDATE found another version. */
class VersionLost extends Error {}

/** The unique violation of a history row whose (problem, version) another change has committed. */
function historyVersionTaken(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } } | null)?.driverError;
  return driverError?.code === '23505' && driverError.constraint === 'ux_problem_history_problem_version';
}

/** Rows per multi-row INSERT of a bulk filing: well below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 250;

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

  constructor(
    private readonly db: Database,
    /** Where the outbox events it commits are left for this process's ClusterBus (PostgreSQL). */
    private readonly committedHere?: CommittedHere,
  ) {
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

  async insertFiled(change: ProblemChange): Promise<void> {
    const outbox = ProblemMapper.outboxToRow(change.outbox);
    await this.announced(outbox, async () => {
      await this.db.sqlWrite(async (sql) => {
        const { problem, link } = this.rows;
        await sql.run(problem.insert, problem.values(ProblemMapper.toRow(change.problem)));
        const { repeatOf, id, createdAt } = change.problem;
        if (repeatOf) {
          // Linked both ways, in the filing's transaction; the earlier problem's own state is not touched.
          await sql.run(link.insert, link.values({ problemId: id, linkedProblemId: repeatOf, kind: 'repeat_of', createdAt }));
          await sql.run(link.insert, link.values({ problemId: repeatOf, linkedProblemId: id, kind: 'repeated_by', createdAt }));
        }
        await this.insertEventRows(sql, change, outbox);
      });
      return true;
    });
  }

  async commitTransition(change: ProblemChange, expectedVersion: number): Promise<boolean> {
    const { transition } = this.rows;
    const values = [...transition.values(ProblemMapper.toRow(change.problem)), change.problem.id, expectedVersion];
    const outbox = ProblemMapper.outboxToRow(change.outbox);
    // A sheet takes its number from the counter the statement before it moved: statements one after the other (a
    // data-modifying WITH clause would not see it). Escalations are rare; every other event takes one round trip.
    if (this.db.isSqlite || change.sheet) {
      return this.announced(outbox, () =>
        this.db.sqlWrite(async (sql) => {
          const changed = await sql.run(transition.sql, values);
          if (changed !== 1) return false;
          await this.insertEventRows(sql, change, outbox);
          return true;
        }),
      );
    }
    // On PostgreSQL each statement is a round trip: the event's rows go in one statement, the guarded UPDATE with
    // the INSERTs as data-modifying WITH clauses (BEGIN, it, COMMIT: three trips instead of six). Another change
    // having won, the UPDATE changes nothing and the transaction is rolled back, taking the INSERTs with it; or the
    // history row of the version it committed is already there, which says the same.
    const rows = this.eventRows(change, outbox);
    const text = `WITH ${rows.map((row, index) => `w${index} AS (${row.sql})`).join(', ')} ${transition.sql}`;
    const params = [...rows.flatMap((row) => row.params), ...values];
    return this.announced(outbox, async () => {
      try {
        return await this.db.sqlWrite(async (sql) => {
          if ((await sql.run(text, params)) !== 1) throw new VersionLost();
          return true;
        });
      } catch (error) {
        if (error instanceof VersionLost || historyVersionTaken(error)) return false;
        throw error;
      }
    });
  }

  /**
   * Runs a write of an outbox event, left for the ClusterBus before it commits (so it is there when the
   * notification comes) and taken back when it surely did not commit: refused by the version, or failed.
   */
  private async announced(outbox: OutboxEventEntity, write: () => Promise<boolean>): Promise<boolean> {
    if (!this.committedHere?.keeping) return write();
    const committed = this.committedHere;
    committed.add(toOutboxEvent(outbox));
    try {
      const written = await write();
      if (!written) committed.forget(outbox.id);
      return written;
    } catch (error) {
      // A lost database may have stored it: kept then (it is passed on only if its notification comes).
      if (!(error instanceof DatabaseUnavailableError)) committed.forget(outbox.id);
      throw error;
    }
  }

  /** What every accepted event writes beside the problem row: history, outbox (as mapped), and what the event carries. */
  private async insertEventRows(sql: SqlSession, change: ProblemChange, outboxRow: OutboxEventEntity): Promise<void> {
    for (const row of this.eventRows(change, outboxRow)) await sql.run(row.sql, row.params);
  }

  private eventRows(change: ProblemChange, outboxRow: OutboxEventEntity): Array<{ sql: string; params: unknown[] }> {
    const { history, outbox, notice } = this.rows;
    const rows = [
      { sql: history.insert, params: history.values(ProblemMapper.historyToRow(change.history)) },
      { sql: outbox.insert, params: outbox.values(outboxRow) },
    ];
    if (change.assignedDepartmentId !== undefined) {
      rows.push({
        sql: 'INSERT INTO problem_departments (problem_id, department_id, assigned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        params: [change.problem.id, change.assignedDepartmentId, change.history.occurredAt],
      });
    }
    for (const record of change.notices ?? []) rows.push({ sql: notice.insert, params: notice.values(record) });
    if (change.sheet) rows.push(...sheetRows(change.sheet));
    if (change.submittedEvidenceIds && change.submittedEvidenceIds.length > 0) {
      // Only rows no submission has carried yet: a file belongs to the first submission that carried it.
      const ids = change.submittedEvidenceIds;
      rows.push({
        sql: `UPDATE problem_evidence SET submitted_in_version = ? WHERE id IN (${marks(ids.length)}) AND problem_id = ? AND submitted_in_version IS NULL`,
        params: [change.problem.version, ...ids, change.problem.id],
      });
    }
    return rows;
  }

  async insertFiledBatch(items: FiledBatchItem[]): Promise<Set<string>> {
    return this.db.sqlWrite(async (sql) => {
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
        const claimed = await this.claimImportKeys(sql, values);
        for (const value of values) if (!claimed.has(value.problemId)) skipped.add(value.problemId);
      }
      const filed = items.map((item) => item.change).filter((change) => !skipped.has(change.problem.id));
      // Multi-row inserts, chunked below the drivers' bound-parameter limits.
      const { problem, history, outbox, link } = this.rows;
      const insert = <E extends object>(statements: RowStatements<E>, rows: Array<Partial<E>>) =>
        rows.length === 0 ? Promise.resolve(0) : sql.run(statements.insertRows(rows.length), rows.flatMap((row) => statements.values(row)));
      for (const chunk of chunks(filed, BATCH_ROWS)) {
        await insert(problem, chunk.map((change) => ProblemMapper.toRow(change.problem)));
        await insert(history, chunk.map((change) => ProblemMapper.historyToRow(change.history)));
        await insert(outbox, chunk.map((change) => ProblemMapper.outboxToRow(change.outbox)));
        await insert(
          link,
          chunk.flatMap(({ problem: { id, repeatOf, createdAt } }) =>
            repeatOf
              ? [
                  { problemId: id, linkedProblemId: repeatOf, kind: 'repeat_of', createdAt },
                  { problemId: repeatOf, linkedProblemId: id, kind: 'repeated_by', createdAt },
                ]
              : [],
          ),
        );
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
    sql: SqlSession,
    values: Array<{ inspectionId: string; importKey: string; problemId: string; createdAt: string }>,
  ): Promise<Set<string>> {
    const rows = await sql.all<{ problemId: string }>(
      `INSERT INTO import_keys (inspection_id, import_key, problem_id, created_at) VALUES ${values.map(() => '(?, ?, ?, ?)').join(', ')} ` +
        'ON CONFLICT (inspection_id, import_key) DO NOTHING RETURNING problem_id AS "problemId"',
      values.flatMap((value) => [value.inspectionId, value.importKey, value.problemId, value.createdAt]),
    );
    return new Set(rows.map((row) => row.problemId));
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
   *
   * Read as ordered walks of indexes rather than one query ordered by "undated last", which would sort every
   * problem the filter matches: the dated problems first, in (deadline, id) order of ix_problems_deadline_order
   * (one walk per deadline state asked for, merged: neither database walks one index for several states in
   * order), then, if the page is not full, the undated ones in id order. A page reads about as many rows as it shows.
   */
  private async pageByDeadline(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]> {
    const last = filter.afterDeadline;
    const select = `SELECT ${this.rows.problem.selectList} FROM problems p`;
    const rows = await this.db.sqlRead(async (sql) => {
      const page: ProblemEntity[] = [];
      if (last?.deadline !== null) {
        const after: Condition | null = last ? { sql: '(p.deadline, p.id) > (?, ?)', params: [last.deadline, last.id] } : null;
        const others = [scopeCondition(scope), ...filterConditions({ ...filter, deadlineStates: undefined }), { sql: 'p.deadline IS NOT NULL', params: [] }, after];
        const walks = deadlineStateConditions(filter.deadlineStates).map((state) => where([...others, state]));
        const query =
          walks.length === 1
            ? { sql: `${select}${walks[0].sql} ORDER BY p.deadline, p.id LIMIT ?`, params: [...walks[0].params, filter.limit] }
            : {
                sql:
                  `SELECT * FROM (${walks.map((walk, index) => `SELECT * FROM (${select}${walk.sql} ORDER BY p.deadline, p.id LIMIT ?) w${index}`).join(' UNION ALL ')}) u ` +
                  'ORDER BY u."deadline", u."id" LIMIT ?',
                params: [...walks.flatMap((walk) => [...walk.params, filter.limit]), filter.limit],
              };
        page.push(...(await sql.all<ProblemEntity>(query.sql, query.params)));
      }
      if (page.length < filter.limit) {
        const after: Condition | null = last?.deadline === null ? { sql: 'p.id > ?', params: [last.id] } : null;
        const undated = where([scopeCondition(scope), ...filterConditions(filter), { sql: 'p.deadline IS NULL', params: [] }, after]);
        page.push(...(await sql.all<ProblemEntity>(`${select}${undated.sql} ORDER BY p.id LIMIT ?`, [...undated.params, filter.limit - page.length])));
      }
      return page;
    });
    return rows.map(ProblemMapper.toRecord);
  }

  async countByStateAndLight(filter: ProblemFilter, scope: ProblemScope): Promise<Array<{ state: ProblemState; light: TrafficLight | null; count: number }>> {
    const condition = where([scopeCondition(scope), ...filterConditions(filter)]);
    const rows = await this.db.sqlRead((sql) =>
      sql.all<{ state: ProblemState; light: TrafficLight | null; count: string | number }>(
        `SELECT p.state AS state, p.light AS light, COUNT(*) AS count FROM problems p${condition.sql} GROUP BY p.state, p.light`,
        condition.params,
      ),
    );
    return rows.map((row) => ({ state: row.state, light: row.light, count: Number(row.count) }));
  }

  async history(problemId: string): Promise<HistoryRecord[]> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all<ProblemHistoryEntity>(`SELECT ${this.rows.history.selectList} FROM problem_history WHERE problem_id = ? ORDER BY version`, [problemId]),
    );
    return rows.map(ProblemMapper.historyToRecord);
  }
}

/**
 * A sheet's rows: the organisation's counter for the year moved on (PostgreSQL holds its row lock until commit, so
 * concurrent escalations number one after the other), then the sheet numbered from it.
 */
function sheetRows(sheet: SheetRecord): Array<{ sql: string; params: unknown[] }> {
  return [
    {
      sql: 'INSERT INTO sheet_counters (organisation_id, year, last) VALUES (?, CAST(? AS INTEGER), 1) ON CONFLICT (organisation_id, year) DO UPDATE SET last = sheet_counters.last + 1',
      params: [sheet.organisationId, sheet.year],
    },
    {
      sql: `INSERT INTO supervision_sheets (id, organisation_id, year, sequence, problem_id, problem_version, history_hash, issued_at, facts, department_id, response_due)
            SELECT ?, organisation_id, year, last, ?, CAST(? AS INTEGER), ?, ?, ?, ?, ? FROM sheet_counters WHERE organisation_id = ? AND year = CAST(? AS INTEGER)`,
      params: [
        sheet.id,
        sheet.problemId,
        sheet.problemVersion,
        sheet.historyHash,
        sheet.issuedAt,
        JSON.stringify(sheet.facts),
        sheet.facts.responsibleDepartment.id,
        sheet.facts.responseDue,
        sheet.organisationId,
        sheet.year,
      ],
    },
  ];
}
