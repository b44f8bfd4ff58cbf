import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { SheetFacts, SheetResponse, SheetVerification, StoredSheet } from '#engine';

/** A written response (书面回复) is a page or two of text; longer accounts go in as evidence. */
export const SHEET_RESPONSE_MAX_CHARS = 4000;

export const SHEET_FORMATS = ['json', 'pdf'] as const;

export class SheetQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation (top department) that issued it, when several issued the number' })
  @IsOptional()
  @IsUUID()
  organisation?: string;

  @ApiPropertyOptional({ enum: SHEET_FORMATS, description: 'json (default) or pdf: the sheet as issued, A4' })
  @IsOptional()
  @IsIn(SHEET_FORMATS)
  format?: (typeof SHEET_FORMATS)[number];
}

export class SheetVerifyQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation (top department) that issued it, when several issued the number' })
  @IsOptional()
  @IsUUID()
  organisation?: string;
}

class SheetProblemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() category: string;
  @ApiProperty() severity: string;
  @ApiProperty() inspectionRef: string;
  @ApiProperty({ format: 'date-time' }) foundAt: string;
}

class SheetDepartmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class SheetLeaderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
}

export class SheetFactsDto implements SheetFacts {
  @ApiProperty({ description: 'The ladder step’s name, the sheet’s title: 督办通知书, 提醒书, 约谈 …' }) stepName: string;
  @ApiProperty() level: number;
  @ApiProperty({ type: () => SheetProblemDto }) problem: SheetProblemDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deadline: string | null;
  @ApiProperty({ type: () => SheetDepartmentDto }) responsibleDepartment: SheetDepartmentDto;
  @ApiProperty({ type: () => SheetLeaderDto, nullable: true, description: 'The responsible department’s head (责任领导)' })
  leader: SheetLeaderDto | null;
  @ApiProperty({ type: () => SheetDepartmentDto, description: 'The office above the department, which issues the sheet' })
  issuingOffice: SheetDepartmentDto;
  @ApiProperty() requirement: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the department’s written response (书面回复) is due; null: none asked' })
  responseDue: string | null;
}

class SheetResponderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SheetResponseDto implements SheetResponse {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: () => SheetResponderDto }) by: SheetResponderDto;
  @ApiProperty({ description: 'Given after the sheet’s responseDue' }) late: boolean;
}

export class RespondToSheetDto {
  @ApiProperty({ maxLength: SHEET_RESPONSE_MAX_CHARS, description: 'The department’s written response (书面回复): what was done, why it was late, what follows' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHEET_RESPONSE_MAX_CHARS)
  text: string;
}

export class SheetDto implements StoredSheet {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '督〔2026〕17号' }) number: string;
  @ApiProperty() year: number;
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid' }) problemId: string;
  @ApiProperty({ description: 'The history row (problem version) that issued it' }) problemVersion: number;
  @ApiProperty({ description: 'SHA-256 of that history row, printed on the sheet' }) historyHash: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ type: () => SheetFactsDto }) facts: SheetFactsDto;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the PDF kept at its first download; null before' })
  pdfSha256: string | null;
  @ApiProperty({ type: () => SheetResponseDto, nullable: true, description: 'The department’s written response, once given' })
  response: SheetResponseDto | null;
}

export class SheetListDto {
  @ApiProperty({ type: () => [SheetDto] }) items: SheetDto[];
}

export class SheetVerificationDto implements SheetVerification {
  @ApiProperty() number: string;
  @ApiProperty() valid: boolean;
  @ApiProperty({ enum: ['matches', 'altered', 'missing'] }) historyRow: 'matches' | 'altered' | 'missing';
  @ApiProperty() chainIntact: boolean;
  @ApiProperty({ enum: ['matches', 'differs', 'notChecked'] }) pdf: 'matches' | 'differs' | 'notChecked';
  @ApiProperty({ type: [String] }) problems: string[];
}
