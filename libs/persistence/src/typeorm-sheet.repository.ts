import { SheetRepository, type SheetFacts, sheetNumber, type StoredSheet } from '#engine';
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
}

const COLUMNS = 'id, organisation_id, year, sequence, problem_id, problem_version, history_hash, issued_at, facts, pdf_sha256';

function toSheet(row: SheetRow): StoredSheet {
  const year = Number(row.year);
  const sequence = Number(row.sequence);
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
    facts: JSON.parse(row.facts) as SheetFacts,
    pdfSha256: row.pdf_sha256,
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

  async pdf(sheetId: string): Promise<Buffer | null> {
    const [row] = await this.db.sqlRead((sql) => sql.all<{ pdf: Buffer | null }>('SELECT pdf FROM supervision_sheets WHERE id = ?', [sheetId]));
    return row?.pdf ? Buffer.from(row.pdf) : null;
  }

  async keepPdf(sheetId: string, pdf: Buffer, sha256: string): Promise<Buffer> {
    await this.db.sqlWrite((sql) => sql.run('UPDATE supervision_sheets SET pdf = ?, pdf_sha256 = ? WHERE id = ? AND pdf IS NULL', [pdf, sha256, sheetId]));
    return (await this.pdf(sheetId)) ?? pdf;
  }
}
