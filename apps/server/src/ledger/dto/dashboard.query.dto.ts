import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CountProblemsQueryDto } from '../../problems/dto/list-problems.query.dto.js';

export const DASHBOARD_WEEKS = { min: 1, max: 52, default: 12 } as const;

/** The filters of GET /problems/counts and how many weeks of the trend, the current week the last. */
export class DashboardQueryDto extends CountProblemsQueryDto {
  @ApiPropertyOptional({
    minimum: DASHBOARD_WEEKS.min,
    maximum: DASHBOARD_WEEKS.max,
    default: DASHBOARD_WEEKS.default,
    description: "Weeks of the found/closed trend, Monday to Sunday in the business calendar's time zone, up to the current one",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(DASHBOARD_WEEKS.min)
  @Max(DASHBOARD_WEEKS.max)
  weeks?: number;
}
