import { ApiProperty } from '@nestjs/swagger';
import { INSPECTION_KINDS, type InspectionKind, type InspectionMember } from '#domain';
import type { InspectionView } from '#engine';

// The answers of /inspections for the OpenAPI document; each class `implements` the engine's type, so a field the
// engine renames or retypes breaks the build instead of the console.

/** A team member: an inspector or supervisor taking part in the inspection. */
export class InspectionMemberDto implements InspectionMember {
  @ApiProperty({ description: 'User id of the member' })
  userId: string;

  @ApiProperty({ description: 'User id of who added them' })
  addedBy: string;

  @ApiProperty({ format: 'date-time' })
  addedAt: string;
}

/** An inspection (检查) as the caller sees it: the resource, its team, and what the caller may do with it. */
export class InspectionViewDto implements InspectionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The top of the department tree it belongs to; null when its creator belongs to no department' })
  organisationId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The office running it; supervisors over it manage it' })
  officeId: string | null;

  @ApiProperty({ description: 'Unique within the organisation', example: 'INSP-2026-031' })
  reference: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: INSPECTION_KINDS })
  kind: InspectionKind;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'First day', example: '2026-03-02' })
  startsOn: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Last day', example: '2026-03-06' })
  endsOn: string | null;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Departments inspected' })
  inspectedDepartmentIds: string[];

  @ApiProperty({ description: 'User id of its creator' })
  createdBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: [InspectionMemberDto], description: 'The team: they see every problem of the inspection' })
  members: InspectionMemberDto[];

  @ApiProperty({ description: 'Whether the caller may file problems under it' })
  mayFile: boolean;

  @ApiProperty({ description: 'Whether the caller may change it and its team' })
  mayManage: boolean;
}

export class InspectionPageDto {
  @ApiProperty({ type: [InspectionViewDto], description: 'Newest first' })
  items: InspectionViewDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' })
  nextCursor: string | null;
}
