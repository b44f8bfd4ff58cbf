import type { TrafficLight } from '#rectification';
import { ApiProperty } from '@nestjs/swagger';
import type { DepartmentLights, LadderStepCount, LightCounts, TrendWeek } from '#ledger';
import { PolicyInUseDto } from '../../problems/dto/deadline-explanation.response.js';
import type { DashboardView } from '../ledger.service.js';

// The JSON answer of GET /ledger/dashboard for the OpenAPI document; each class `implements` the ledger's type, so
// a field renamed there breaks the build instead of the console.

/** Open problems per traffic light (红黄绿灯); those without a light are in none. */
export class LightCountsDto implements LightCounts<TrafficLight> {
  @ApiProperty({ type: 'integer' })
  green: number;

  @ApiProperty({ type: 'integer' })
  yellow: number;

  @ApiProperty({ type: 'integer' })
  red: number;

  @ApiProperty({ type: 'integer' })
  black: number;

  @ApiProperty({ type: 'integer', description: 'All lit: green + yellow + red + black' })
  total: number;
}

export class DepartmentLightsDto implements DepartmentLights<TrafficLight> {
  @ApiProperty({ format: 'uuid', description: 'The responsible department' })
  departmentId: string;

  @ApiProperty()
  department: string;

  @ApiProperty({ type: () => LightCountsDto })
  lights: LightCountsDto;
}

export class DashboardLightsDto {
  @ApiProperty({ type: () => LightCountsDto, description: 'Every department together' })
  all: LightCountsDto;

  @ApiProperty({ type: [DepartmentLightsDto], description: 'Departments with a lit problem, by name' })
  byDepartment: DepartmentLightsDto[];
}

export class LadderStepCountDto implements LadderStepCount {
  @ApiProperty({ type: 'integer', minimum: 1 })
  level: number;

  @ApiProperty({ description: 'The step as the deadline policy in force names it (a level it no longer has: 一级督办 … by its level)', example: '挂牌督办' })
  name: string;

  @ApiProperty({ type: 'integer', description: 'Problems whose deadline state is escalated at this step now' })
  open: number;
}

export class TrendWeekDto implements TrendWeek {
  @ApiProperty({ type: String, format: 'date', description: 'Monday, in the business calendar\'s time zone' })
  weekStart: string;

  @ApiProperty({ type: String, format: 'date', description: 'Sunday (the current week: not over yet)' })
  weekEnd: string;

  @ApiProperty({ type: 'integer', description: 'Found (filed) in the week' })
  found: number;

  @ApiProperty({ type: 'integer', description: 'Closed out (销号) in the week and closed now' })
  closed: number;
}

/** GET /ledger/dashboard: the supervision dashboard (督办驾驶舱). */
export class DashboardDto implements DashboardView {
  @ApiProperty({ description: 'How the figures are counted, stated with them' })
  definition: string;

  @ApiProperty({ description: 'The time zone of the weeks (the business calendar\'s)', example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ type: String, format: 'date', description: 'Today in that time zone: the last week holds it' })
  today: string;

  @ApiProperty({ type: () => PolicyInUseDto, description: 'The deadline policy version whose ladder names the steps' })
  policy: PolicyInUseDto;

  @ApiProperty({ type: () => DashboardLightsDto })
  lights: DashboardLightsDto;

  @ApiProperty({ type: [LadderStepCountDto], description: 'By level' })
  ladder: LadderStepCountDto[];

  @ApiProperty({ type: [TrendWeekDto], description: 'Oldest week first' })
  trend: TrendWeekDto[];
}
