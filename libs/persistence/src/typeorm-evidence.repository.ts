import { IsNull, MoreThan } from 'typeorm';
import { type EvidenceRecord, EvidenceRepository } from '../../engine/src/index.js';
import type { EvidenceKind } from '../../../workflows/rectification/index.js';
import type { Database } from './database.js';
import { ProblemEvidenceEntity } from './entities/index.js';

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
  constructor(private readonly db: Database) {
    super();
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
    const rows = await this.db.read((manager) =>
      manager.find(ProblemEvidenceEntity, { where: { problemId, kind, submittedInVersion: IsNull() }, order: { id: 'ASC' } }),
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
