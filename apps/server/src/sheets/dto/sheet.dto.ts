import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SHEET_RESPONSE_STATES, type SheetFacts, type SheetResponse, type SheetResponseState, type SheetVerification, type StoredSheet } from '#engine';

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

export const SHEET_PAGE = { default: 50, max: 200 } as const;

/** The sheets' registry (督办单台账): what it filters by, and its pages. */
export class ListSheetsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 2000, maximum: 9999, description: 'The year of issue (the number’s year)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(9999)
  year?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The responsible department the sheets are addressed to' })
  @IsOptional()
  @IsUUID()
  department?: string;

  @ApiPropertyOptional({ enum: SHEET_RESPONSE_STATES, description: 'Where the written response stands: notAsked, due, overdue (not given by its date), given, late (given after it)' })
  @IsOptional()
  @IsIn(SHEET_RESPONSE_STATES)
  response?: SheetResponseState;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SHEET_PAGE.max, default: SHEET_PAGE.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SHEET_PAGE.max)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;
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

export class SheetPageDto {
  @ApiProperty({ type: () => [SheetDto] }) items: SheetDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last' }) nextCursor: string | null;
}

export class SheetVerificationDto implements SheetVerification {
  @ApiProperty() number: string;
  @ApiProperty() valid: boolean;
  @ApiProperty({ enum: ['matches', 'altered', 'missing'] }) historyRow: 'matches' | 'altered' | 'missing';
  @ApiProperty() chainIntact: boolean;
  @ApiProperty({ enum: ['matches', 'differs', 'notChecked'] }) pdf: 'matches' | 'differs' | 'notChecked';
  @ApiProperty({ type: [String] }) problems: string[];
}
