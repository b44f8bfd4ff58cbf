import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One evidence file of a problem; the bytes live in the content-addressed store under `sha256`. Never deleted. */
@Entity({ name: 'problem_evidence' })
@Index('ix_problem_evidence_problem', ['problemId', 'id'])
@Index('ix_problem_evidence_sha256', ['sha256'])
export class ProblemEvidenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'media_type', type: 'varchar', length: 128 })
  mediaType: string;

  @Column({ name: 'original_name', type: 'varchar', length: 255 })
  originalName: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 36 })
  uploadedBy: string;

  @Column({ name: 'uploaded_at', type: 'varchar', length: 30 })
  uploadedAt: string;

  @Column({ name: 'submitted_in_version', type: 'integer', nullable: true })
  submittedInVersion: number | null;
}
