import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { INSPECTION_KINDS, type InspectionKind } from '#domain';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';
import { IsLocalDate, IsName } from '../../common/validation.js';

/** Team size and inspected departments are bounded: an inspection is a team of people, not an import. */
const MAX_LISTED = 200;

export class CreateInspectionDto {
  @ApiProperty({ description: 'Reference, unique within the organisation', example: 'INSP-2026-031', maxLength: 100 })
  @IsName(100)
  // A reference goes into paths (/inspections/:ref): no slashes, no control characters.
  @Matches(/^[^/\\\u0000-\u001f\u007f]+$/, { message: 'reference must not contain slashes or control characters' })
  reference: string;

  @ApiPropertyOptional({ description: 'Defaults to the reference', example: 'Quarterly fire-safety inspection, warehouses', maxLength: 200 })
  @IsOptional()
  @IsName(200)
  title?: string;

  @ApiPropertyOptional({ enum: INSPECTION_KINDS, default: 'other' })
  @IsOptional()
  @IsIn(INSPECTION_KINDS)
  kind?: InspectionKind;

  @ApiPropertyOptional({ description: 'The office running it; defaults to yours (admins, and supervisors for an office below theirs, may name another)' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsUUID()
  officeId?: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'First day (YYYY-MM-DD)', example: '2026-03-02' })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsLocalDate()
  startsOn?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'Last day (YYYY-MM-DD), not before startsOn', example: '2026-03-06' })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsLocalDate()
  endsOn?: string | null;

  @ApiPropertyOptional({ description: 'Departments inspected', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LISTED)
  @IsUUID(undefined, { each: true })
  inspectedDepartmentIds?: string[];

  @ApiPropertyOptional({ description: 'Team members besides you (inspector or supervisor users)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LISTED)
  @IsUUID(undefined, { each: true })
  memberIds?: string[];
}

export class UpdateInspectionDto extends PartialType(
  PickType(CreateInspectionDto, ['title', 'kind', 'startsOn', 'endsOn', 'inspectedDepartmentIds'] as const),
) {}

export class AddInspectionMemberDto {
  @ApiProperty({ description: 'An inspector or supervisor user' })
  @IsUUID()
  userId: string;
}

export class ListInspectionsQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ description: 'Only inspections with this reference' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reference?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
