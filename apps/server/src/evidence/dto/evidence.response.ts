import { ApiProperty } from '@nestjs/swagger';
import type { EvidenceRecord, IntegrityReport } from '#engine';
import { EVIDENCE_KINDS, type EvidenceKind } from '#rectification';

// The answers of the evidence routes for the OpenAPI document; each class `implements` the engine's type, so a
// field the engine renames or retypes breaks the build instead of the console.

/** One evidence file of a problem; the file itself is stored under its SHA-256. */
export class EvidenceRecordDto implements EvidenceRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty({ enum: EVIDENCE_KINDS, description: '`finding` (before, the inspecting side) or `rectification` (after, the responsible department)' })
  kind: EvidenceKind;

  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex; the ETag of its download' })
  sha256: string;

  @ApiProperty({ type: 'integer', description: 'Bytes' })
  size: number;

  @ApiProperty({ description: 'The stored type, as sniffed from the content', example: 'image/png' })
  mediaType: string;

  @ApiProperty({ description: 'The file name it is offered under, cleaned so it cannot disguise the type' })
  originalName: string;

  @ApiProperty({ description: 'User id of the uploader' })
  uploadedBy: string;

  @ApiProperty({ format: 'date-time' })
  uploadedAt: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The problem version whose SUBMIT carried it; null until a submission does' })
  submittedInVersion: number | null;
}

export class EvidenceListDto {
  @ApiProperty({ type: [EvidenceRecordDto], description: 'Oldest first' })
  items: EvidenceRecordDto[];
}

/** A row whose stored file is gone. */
export class EvidenceMissingDto {
  @ApiProperty({ format: 'uuid' })
  evidenceId: string;

  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty({ description: 'The SHA-256 the row records' })
  sha256: string;
}

/** A row whose stored file no longer hashes to its SHA-256. */
export class EvidenceMismatchDto extends EvidenceMissingDto {
  @ApiProperty({ description: 'The SHA-256 of what is stored now' })
  actualSha256: string;
}

/** GET /admin/evidence/verify: every evidence row re-hashed against its stored file. */
export class EvidenceIntegrityReportDto implements IntegrityReport {
  @ApiProperty({ description: 'No mismatch and nothing missing' })
  ok: boolean;

  @ApiProperty({ type: 'integer' })
  checkedRows: number;

  @ApiProperty({ type: 'integer', description: 'Distinct stored files re-hashed (rows sharing content share a file)' })
  checkedFiles: number;

  @ApiProperty({ type: [EvidenceMismatchDto] })
  mismatches: EvidenceMismatchDto[];

  @ApiProperty({ type: [EvidenceMissingDto] })
  missing: EvidenceMissingDto[];
}
