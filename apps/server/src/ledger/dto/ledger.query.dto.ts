import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsLocalDate } from '../../common/validation.js';
import { CountProblemsQueryDto } from '../../problems/dto/list-problems.query.dto.js';

export const LEDGER_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

/** The filters of GET /problems, a period of found dates, and the format and language of the answer. */
export class LedgerSummaryQueryDto extends CountProblemsQueryDto {
  @ApiPropertyOptional({ description: 'Found on or after this date (YYYY-MM-DD, in the business calendar\'s time zone)' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Found on or before this date (YYYY-MM-DD, in the business calendar\'s time zone)' })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: LEDGER_FORMATS, default: 'json', description: 'csv: UTF-8 with BOM; xlsx: one worksheet' })
  @IsOptional()
  @IsIn(LEDGER_FORMATS)
  format?: LedgerFormat;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh', description: 'Language of the column headers and labels in csv and xlsx' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: 'zh' | 'en';
}

export class LedgerQueryDto extends LedgerSummaryQueryDto {
  @ApiPropertyOptional({ description: 'json only: `nextCursor` of the previous page (exports hold every row)' })
  @IsOptional()
  @IsUUID()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500, description: 'json only: rows per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export type LedgerFilters = Omit<LedgerSummaryQueryDto, 'format' | 'lang'>;
