import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EVIDENCE_KINDS, type EvidenceKind } from '#rectification';

/** The form fields beside the file of POST /problems/:id/evidence (multipart/form-data). */
export class UploadEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS, description: '`finding` (before, the inspecting side) or `rectification` (after, the responsible department)' })
  @IsIn(EVIDENCE_KINDS)
  kind!: EvidenceKind;
}
