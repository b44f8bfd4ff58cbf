import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PROBLEM_STATES, type ProblemState, SEVERITIES, type Severity } from '../../../../../libs/domain/src/index.js';

export class ListProblemsQueryDto {
  @ApiPropertyOptional({ enum: PROBLEM_STATES })
  @IsOptional()
  @IsIn(PROBLEM_STATES)
  state?: ProblemState;

  @ApiPropertyOptional({ description: 'Responsible department id' })
  @IsOptional()
  @IsUUID()
  department?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ description: 'Inspection reference' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  inspection?: string;

  @ApiPropertyOptional({ description: 'Text searched in title, description and location (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** The same filters as the list, without paging. */
export class CountProblemsQueryDto extends OmitType(ListProblemsQueryDto, ['cursor', 'limit'] as const) {}
