import { TRAFFIC_LIGHTS, type TrafficLight } from '#rectification';
import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_STATES, type ProblemState, RANKING_LISTS, type RankingList, SEVERITIES } from '#domain';
import { LEDGER_OUTCOMES, LIST_REASONS, type LedgerOutcome, type LedgerRow, type LedgerSummaryGroup, type ListReason, type RankingRow } from '#ledger';
import { RankingThresholdsDto } from '../../admin/dto/deadline-policy.dto.js';
import { PolicyInUseDto } from '../../problems/dto/deadline-explanation.response.js';
import { ProgressReportDto } from '../../problems/dto/problem.response.js';
import type { LedgerPage, LedgerSummaryView, RankingView } from '../ledger.service.js';

// The JSON answers of /ledger for the OpenAPI document; each class `implements` the ledger's type, so a field the
// ledger renames or retypes breaks the build instead of the console.

/** One row of the ledger (台账): a problem with the figures the ledger counts for it. */
export class LedgerRowDto implements LedgerRow {
  @ApiProperty({ format: 'uuid', description: 'The problem' })
  id: string;

  @ApiProperty({ description: "The inspection's reference" })
  inspection: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  location: string;

  @ApiProperty()
  category: string;

  @ApiProperty({ enum: SEVERITIES })
  severity: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The responsible department; null until assigned' })
  departmentId: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The responsible department's name" })
  department: string | null;

  @ApiProperty({ type: String, nullable: true, description: "From the department's plan, else as assigned" })
  responsiblePerson: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: "From the department's rectification plan (START)", example: '2026-05-29' })
  plannedCompletionDate: string | null;

  @ApiProperty({ type: () => ProgressReportDto, nullable: true, description: 'The last progress report' })
  latestProgress: ProgressReportDto | null;

  @ApiProperty({ format: 'date-time', description: 'When it was filed' })
  foundAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The deadline first given to the department' })
  originalDeadline: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The deadline now (moved by extensions and suspensions)' })
  deadline: string | null;

  @ApiProperty({ type: 'integer', description: 'Approved extensions' })
  extensions: number;

  @ApiProperty({ enum: PROBLEM_STATES })
  state: ProblemState;

  @ApiProperty({ description: 'The state in full, such as `rectifying.inProgress`' })
  stateDetail: string;

  @ApiProperty({ type: String, enum: TRAFFIC_LIGHTS, nullable: true, description: 'The traffic light (红黄绿灯) under its deadline policy; null while none applies' })
  light: TrafficLight | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working days past the current deadline, at completion (closed) or now (open); 0 when not past; null without a deadline' })
  daysOverdue: number | null;

  @ApiProperty({ type: 'integer', description: 'The highest escalation step the problem reached (0: none), from its supervision notices: an extension or a reopening that starts the clock afresh does not lower it' })
  highestEscalationLevel: number;

  @ApiProperty({ type: 'integer', description: 'Times verification sent the work back' })
  reworkRounds: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Close-out (销号) time' })
  closedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the rectification counts as completed (the last submission before approval); null unless closed' })
  completedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working days from found to close-out; null unless closed' })
  workingDaysToClose: number | null;

  @ApiProperty({ enum: LEDGER_OUTCOMES, description: 'How it stands against its deadlines; cancelled counts in no rate' })
  outcome: LedgerOutcome;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The earlier problem this one repeats (屡查屡犯)' })
  repeatOf: string | null;
}

/** GET /ledger?format=json: a page of rows, oldest first. */
export class LedgerPageDto implements LedgerPage {
  @ApiProperty({ type: [LedgerRowDto] })
  items: LedgerRowDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' })
  nextCursor: string | null;
}

/** The figures of one group of ledger rows: all of them, a department's, or an inspection's. */
export class LedgerSummaryGroupDto implements LedgerSummaryGroup {
  @ApiProperty({ enum: ['all', 'department', 'inspection'] })
  groupBy: LedgerSummaryGroup['groupBy'];

  @ApiProperty({ type: String, nullable: true, description: 'Department id or inspection reference; null for `all` and for problems not assigned yet' })
  key: string | null;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  closed: number;

  @ApiProperty({ type: 'integer' })
  open: number;

  @ApiProperty({ type: 'integer', description: 'Open and past the current deadline; included in `open`' })
  overdue: number;

  @ApiProperty({ type: 'integer' })
  cancelled: number;

  @ApiProperty({ type: 'integer' })
  onTime: number;

  @ApiProperty({ type: 'integer' })
  onTimeAfterExtension: number;

  @ApiProperty({ type: 'integer' })
  late: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: '(on time + on time after extension) / closed; null while nothing is closed' })
  onTimeRate: number | null;

  @ApiProperty({ type: 'integer', description: 'The denominator of `onTimeRate`: the closed problems' })
  onTimeRateDenominator: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Mean working days from found to close-out over the closed problems; null while nothing is closed' })
  averageWorkingDaysToClose: number | null;

  @ApiProperty({ type: 'integer', description: 'Approved extensions, summed' })
  extensions: number;

  @ApiProperty({ type: 'integer', description: 'Rework rounds, summed' })
  reworkRounds: number;
}

/** GET /ledger/summary?format=json. */
export class LedgerSummaryDto implements LedgerSummaryView {
  @ApiProperty({ description: 'How `onTimeRate` is counted, stated with the figures' })
  onTimeRateDefinition: string;

  @ApiProperty({ type: () => LedgerSummaryGroupDto })
  all: LedgerSummaryGroupDto;

  @ApiProperty({ type: [LedgerSummaryGroupDto], description: 'By name' })
  byDepartment: LedgerSummaryGroupDto[];

  @ApiProperty({ type: [LedgerSummaryGroupDto], description: 'By name' })
  byInspection: LedgerSummaryGroupDto[];
}

/** One department in the ranking (部门排名), on its list (红黄黑榜) or on none. */
export class RankingRowDto implements RankingRow {
  @ApiProperty({ format: 'uuid' })
  departmentId: string;

  @ApiProperty()
  department: string;

  @ApiProperty({ type: 'integer', description: '1 for the best; departments equal on every key share a rank' })
  rank: number;

  @ApiProperty({ type: String, enum: RANKING_LISTS, nullable: true, description: 'red: commended (红榜); yellow: warned (黄榜); black: named (黑榜); null: on none' })
  list: RankingList | null;

  @ApiProperty({ enum: LIST_REASONS, isArray: true, description: 'What put it on its list' })
  listReasons: ListReason[];

  @ApiProperty({ type: 'integer', description: 'Problems assigned to it, found in the period (cancelled ones included)' })
  received: number;

  @ApiProperty({ type: 'integer' })
  closed: number;

  @ApiProperty({ type: 'integer' })
  open: number;

  @ApiProperty({ type: 'integer', description: 'Closed, completed by the deadline first given' })
  onTimeOriginal: number;

  @ApiProperty({ type: 'integer', description: 'Closed, completed after the original deadline but by the extended one' })
  onTimeAfterExtension: number;

  @ApiProperty({ type: 'integer', description: 'Closed, completed after the current deadline' })
  late: number;

  @ApiProperty({ type: 'integer', description: 'Open and past the current deadline' })
  overdue: number;

  @ApiProperty({ type: 'integer', description: 'Whose clock reached an escalation step' })
  escalated: number;

  @ApiProperty({ type: 'integer' })
  cancelled: number;

  @ApiProperty({ type: Number, nullable: true, description: 'onTimeOriginal / closed; null while nothing is closed' })
  onTimeRateOriginal: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '(onTimeOriginal + onTimeAfterExtension) / closed; null while nothing is closed' })
  onTimeRateWithExtensions: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Mean working days from found to close-out; null while nothing is closed' })
  averageWorkingDaysToClose: number | null;

  @ApiProperty({ type: 'integer' })
  reworkRounds: number;

  @ApiProperty({ type: 'integer' })
  extensions: number;
}

/** GET /ledger/ranking?format=json. */
export class RankingDto implements RankingView {
  @ApiProperty({ description: 'How the figures are counted, stated with them' })
  definition: string;

  @ApiProperty({ type: () => RankingThresholdsDto, description: 'The thresholds of the lists, from the deadline policy in force' })
  thresholds: RankingThresholdsDto;

  @ApiProperty({ type: () => PolicyInUseDto, description: 'The deadline policy version whose thresholds these are' })
  policy: PolicyInUseDto;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'First found date ranked; null: from the first' })
  from: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Last found date ranked; null: up to now' })
  to: string | null;

  @ApiProperty({ type: [RankingRowDto], description: 'Best first' })
  departments: RankingRowDto[];
}
