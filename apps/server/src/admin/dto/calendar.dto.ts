import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import { IsLocalDate } from '../../common/validation.js';

export class AddClosureDto {
  @ApiProperty({ description: 'Local date in the calendar\'s time zone', example: '2026-12-31' })
  @IsLocalDate()
  date: string;

  @ApiProperty({ example: 'Year-end stocktaking (年终盘点)', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason: string;
}

export class ImportIcsDto {
  @ApiProperty({ description: 'The iCalendar (.ics) text; all-day events become holidays or closures' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200_000)
  ics: string;

  @ApiPropertyOptional({ enum: ['holiday', 'closure'], default: 'holiday' })
  @IsOptional()
  @IsIn(['holiday', 'closure'])
  as?: 'holiday' | 'closure';

  @ApiPropertyOptional({
    description:
      'Expand recurring events up to this date (YYYY-MM-DD); without it they are skipped. An event expanding to more than ' +
      '1 000 days, or past 10 years from today, is refused (422 CALENDAR.RECURRENCE_TOO_LONG)',
  })
  @IsOptional()
  @IsLocalDate({ anyYear: true })
  recurUntil?: string;

  @ApiPropertyOptional({
    description:
      'The file is the complete public-holiday schedule up to this date, included (e.g. 2027-12-31 for next year\'s State ' +
      'Council schedule): the holiday coverage is extended to it, so deadlines up to it are no longer provisional and ' +
      'the coverage warning of /health ends. Only with as "holiday"',
    example: '2027-12-31',
  })
  @IsOptional()
  @IsLocalDate({ anyYear: true })
  coverageUntil?: string;
}

export class CalendarYearQueryDto {
  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2100, example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}
