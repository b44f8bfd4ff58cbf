import type { ProblemScope } from '#access';
import { type SheetFilter, SheetRepository, type SheetFacts, sheetNumber, type StoredSheet } from '#engine';
import { type Condition, scopeCondition } from './problem-sql.js';
import type { Database } from './database.js';

interface SheetRow {
  id: string;
  organisation_id: string;
  year: number | string;
  sequence: number | string;
  problem_id: string;
  problem_version: number | string;
  history_hash: string;
  issued_at: string;
  facts: string;
  pdf_sha256: string | null;
  response_text: string | null;
  responded_at: string | null;
  responded_by: string | null;
  responded_by_name: string | null;
}

const COLUMNS =
  'id, organisation_id, year, sequence, problem_id, problem_version, history_hash, issued_at, facts, pdf_sha256, response_text, responded_at, responded_by, responded_by_name';

function toSheet(row: SheetRow): StoredSheet {
  const year = Number(row.year);
  const sequence = Number(row.sequence);
  const facts = JSON.parse(row.facts) as SheetFacts;
  const response =
    row.response_text === null || row.responded_at === null
      ? null
      : {
          text: row.response_text,
          at: row.responded_at,
          by: { id: row.responded_by ?? '', name: row.responded_by_name ?? '' },
          late: facts.responseDue !== null && row.responded_at > facts.responseDue,
        };
  return {
    id: row.id,
    organisationId: row.organisation_id,
    year,
    sequence,
    number: sheetNumber(year, sequence),
    problemId: row.problem_id,
    problemVersion: Number(row.problem_version),
    historyHash: row.history_hash,
    issuedAt: row.issued_at,
    facts,
    pdfSha256: row.pdf_sha256,
    response,
  };
}

/** The supervision sheets' reads, and the PDF kept on first download; the sheets themselves come with their events. */
export class TypeOrmSheetRepository extends SheetRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async byNumber(year: number, sequence: number): Promise<StoredSheet[]> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all<SheetRow>(`SELECT ${COLUMNS} FROM supervision_sheets WHERE year = ? AND sequence = ? ORDER BY organisation_id`, [year, sequence]),
    );
    return rows.map(toSheet);
  }

  async forProblem(problemId: string): Promise<StoredSheet[]> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all<SheetRow>(`SELECT ${COLUMNS} FROM supervision_sheets WHERE problem_id = ? ORDER BY year, sequence`, [problemId]),
    );
    return rows.map(toSheet);
  }

  async list(scope: ProblemScope, filter: SheetFilter, limit: number): Promise<StoredSheet[]> {
    const conditions: Condition[] = [];
    const scoped = scopeCondition(scope);
    if (scoped) conditions.push(scoped);
    if (filter.year !== undefined) conditions.push({ sql: 's.year = ?', params: [filter.year] });
    if (filter.departmentId) conditions.push({ sql: 's.department_id = ?', params: [filter.departmentId] });
    if (filter.after) conditions.push({ sql: 's.id < ?', params: [filter.after] });
    const response: Record<NonNullable<SheetFilter['response']>, Condition> = {
      notAsked: { sql: 's.response_due IS NULL', params: [] },
      due: { sql: 's.response_due IS NOT NULL AND s.response_text IS NULL AND s.response_due >= ?', params: [filter.now] },
      overdue: { sql: 's.response_due IS NOT NULL AND s.response_text IS NULL AND s.response_due < ?', params: [filter.now] },
      given: { sql: 's.response_text IS NOT NULL AND s.responded_at <= s.response_due', params: [] },
      late: { sql: 's.response_text IS NOT NULL AND s.responded_at > s.response_due', params: [] },
    };
    if (filter.response) conditions.push(response[filter.response]);
    const where = conditions.length > 0 ? `WHERE ${conditions.map((condition) => `(${condition.sql})`).join(' AND ')}` : '';
    const columns = COLUMNS.split(', ').map((column) => `s.${column}`).join(', ');
    const rows = await this.db.sqlRead((sql) =>
      sql.all<SheetRow>(`SELECT ${columns} FROM supervision_sheets s JOIN problems p ON p.id = s.problem_id ${where} ORDER BY s.id DESC LIMIT ?`, [
        ...conditions.flatMap((condition) => condition.params),
        limit,
      ]),
    );
    return rows.map(toSheet);
  }

  async pdf(sheetId: string): Promise<Buffer | null> {
    const [row] = await this.db.sqlRead((sql) => sql.all<{ pdf: Buffer | null }>('SELECT pdf FROM supervision_sheets WHERE id = ?', [sheetId]));
    return row?.pdf ? Buffer.from(row.pdf) : null;
  }

  async keepPdf(sheetId: string, pdf: Buffer, sha256: string): Promise<Buffer> {
    await this.db.sqlWrite((sql) => sql.run('UPDATE supervision_sheets SET pdf = ?, pdf_sha256 = ? WHERE id = ? AND pdf IS NULL', [pdf, sha256, sheetId]));
    return (await this.pdf(sheetId)) ?? pdf;
  }

  async respond(sheetId: string, response: { text: string; at: string; by: { id: string; name: string } }): Promise<boolean> {
    const changed = await this.db.sqlWrite((sql) =>
      sql.run('UPDATE supervision_sheets SET response_text = ?, responded_at = ?, responded_by = ?, responded_by_name = ? WHERE id = ? AND response_text IS NULL', [
        response.text,
        response.at,
        response.by.id,
        response.by.name,
        sheetId,
      ]),
    );
    return changed === 1;
  }
}
