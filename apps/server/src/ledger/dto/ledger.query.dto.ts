import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateBy } from 'class-validator';
import { isLocalDate } from '../../../../../libs/calendar/src/index.js';
import { EARLIEST_YEAR, LATEST_YEAR } from '../../common/validation.js';
import { CountProblemsQueryDto } from '../../problems/dto/list-problems.query.dto.js';

export const LEDGER_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

/** A real calendar date written YYYY-MM-DD (2026-02-29 is refused) in the years the API takes (see InYearRange). */
export function IsLocalDate(): PropertyDecorator {
  const inRange = (value: string) => Number(value.slice(0, 4)) >= EARLIEST_YEAR && Number(value.slice(0, 4)) <= LATEST_YEAR;
  return ValidateBy({
    name: 'isLocalDate',
    validator: {
      validate: (value) => isLocalDate(value) && inRange(value),
      defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD in the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`,
    },
  });
}

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
