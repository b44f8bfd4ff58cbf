import { MoreThan } from 'typeorm';
import { type EvidenceRecord, EvidenceRepository } from '#engine';
import type { EvidenceKind } from '#rectification';
import type { Database } from './database.js';
import { ProblemEvidenceEntity } from './entities/index.js';
import { RowStatements } from './row-statements.js';

function toRecord(row: ProblemEvidenceEntity): EvidenceRecord {
  return {
    id: row.id,
    problemId: row.problemId,
    kind: row.kind as EvidenceKind,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.mediaType,
    originalName: row.originalName,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
    submittedInVersion: row.submittedInVersion === null ? null : Number(row.submittedInVersion),
  };
}

export class TypeOrmEvidenceRepository extends EvidenceRepository {
  private statements?: RowStatements<ProblemEvidenceEntity>;

  constructor(private readonly db: Database) {
    super();
  }

  private get rows(): RowStatements<ProblemEvidenceEntity> {
    this.statements ??= new RowStatements(this.db.dataSource, ProblemEvidenceEntity);
    return this.statements;
  }

  async insert(record: EvidenceRecord): Promise<void> {
    await this.db.write((manager) => manager.createQueryBuilder().insert().into(ProblemEvidenceEntity).values({ ...record }).execute());
  }

  async listFor(problemId: string): Promise<EvidenceRecord[]> {
    const rows = await this.db.read((manager) => manager.find(ProblemEvidenceEntity, { where: { problemId }, order: { id: 'ASC' } }));
    return rows.map(toRecord);
  }

  async find(problemId: string, evidenceId: string): Promise<EvidenceRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(ProblemEvidenceEntity, { problemId, id: evidenceId }));
    return row ? toRecord(row) : null;
  }

  async unsubmitted(problemId: string, kind: EvidenceKind): Promise<EvidenceRecord[]> {
    // On every SUBMIT: a prepared statement, not a query built per call.
    const rows = await this.db.sqlRead((sql) =>
      sql.all<ProblemEvidenceEntity>(
        `SELECT ${this.rows.selectList} FROM problem_evidence WHERE problem_id = ? AND kind = ? AND submitted_in_version IS NULL ORDER BY id`,
        [problemId, kind],
      ),
    );
    return rows.map(toRecord);
  }

  async countWithSha256(sha256: string): Promise<number> {
    return this.db.read((manager) => manager.countBy(ProblemEvidenceEntity, { sha256 }));
  }

  async page(after: string | null, limit: number): Promise<EvidenceRecord[]> {
    const rows = await this.db.read((manager) =>
      manager.find(ProblemEvidenceEntity, { where: after === null ? {} : { id: MoreThan(after) }, order: { id: 'ASC' }, take: limit }),
    );
    return rows.map(toRecord);
  }
}
