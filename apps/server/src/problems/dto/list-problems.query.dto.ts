import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PROBLEM_STATES, type ProblemState, SEVERITIES, type Severity } from '../../../../../libs/domain/src/index.js';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';

export class ListProblemsQueryDto extends PageSizeQueryDto {
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

  @ApiPropertyOptional({ description: 'Inspection id, or inspection reference' })
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

}

/** The same filters as the list, without paging. */
export class CountProblemsQueryDto extends OmitType(ListProblemsQueryDto, ['cursor', 'limit'] as const) {}
