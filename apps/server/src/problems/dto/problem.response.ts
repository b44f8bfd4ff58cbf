import { ApiExtraModels, ApiProperty, type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { type ChainBreak, type ChainVerification, PROBLEM_STATES, type ProblemState, SEVERITIES } from '#domain';
import type { HistoryRecord, ProblemChainReport, ProblemView } from '#engine';
import {
  DEADLINE_STATES,
  TRAFFIC_LIGHTS,
  type TrafficLight,
  FILE_EVENT,
  type PendingRequest,
  RECTIFICATION_EVENT_TYPES,
  type RectificationEventType,
  type RectificationPlan,
  type SuspensionRecord,
  TIMER_EVENT_TYPES,
} from '#rectification';

// The answers of /problems for the OpenAPI document; each class `implements` the engine's type, so a field the
// engine renames or retypes breaks the build instead of the console.

export class PendingExtensionRequestDto {
  @ApiProperty({ enum: ['extension'] })
  kind: 'extension';

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time', description: 'The deadline the department asks for' })
  proposedDeadline: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty({ description: 'User id of who asked' })
  requestedBy: string;
}

export class PendingSuspensionRequestDto {
  @ApiProperty({ enum: ['suspension'] })
  kind: 'suspension';

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty({ description: 'User id of who asked' })
  requestedBy: string;
}

/** A union tagged by `tag`, one class per tag, or null (createApiDocument adds the `type` OpenAPI 3.0 wants beside `nullable`). */
export function nullableUnion(tag: string, variants: Record<string, new () => object>): ApiPropertyOptions {
  const refs = Object.fromEntries(Object.entries(variants).map(([value, variant]) => [value, getSchemaPath(variant)]));
  return { nullable: true, oneOf: Object.values(refs).map(($ref) => ({ $ref })), discriminator: { propertyName: tag, mapping: refs } };
}

/** `pendingRequest`: an extension or suspension request waiting for a supervisor, or null. */
export const PENDING_REQUEST_SCHEMA = nullableUnion('kind', { extension: PendingExtensionRequestDto, suspension: PendingSuspensionRequestDto });

export class SuspensionRecordDto implements SuspensionRecord {
  @ApiProperty({ format: 'date-time', description: 'When it was approved: the clock stopped' })
  from: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the clock resumed; null while suspended' })
  to: string | null;

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty()
  requestedBy: string;

  @ApiProperty()
  approvedBy: string;

  @ApiProperty({ type: String, nullable: true })
  resumedBy: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Working days it covered (the deadline moved by them); null while it lasts, or when cancelled' })
  workingDays: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadlineBefore: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadlineAfter: string | null;
}

export class RectificationPlanDto implements RectificationPlan {
  @ApiProperty()
  measures: string;

  @ApiProperty()
  responsiblePerson: string;

  @ApiProperty({ format: 'date', example: '2026-05-29' })
  plannedCompletionDate: string;
}

export class ProgressReportDto {
  @ApiProperty()
  note: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  percent: number | null;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class SubmissionDto {
  @ApiProperty()
  summary: string;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class MachineStampDto {
  @ApiProperty({ example: 'rectification' })
  id: string;

  @ApiProperty({ example: '5' })
  version: string;
}

@ApiExtraModels(PendingExtensionRequestDto, PendingSuspensionRequestDto)
export class ProblemViewDto implements ProblemView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  category: string;

  @ApiProperty({ enum: SEVERITIES })
  severity: string;

  @ApiProperty()
  location: string;

  @ApiProperty({ description: "The inspection's reference" })
  inspectionRef: string;

  @ApiProperty({ description: 'The rule or standard the finding breaks' })
  requirement: string;

  @ApiProperty({ description: 'User id of the filer' })
  filedBy: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  filerDepartmentId: string | null;

  @ApiProperty({ enum: PROBLEM_STATES })
  state: ProblemState;

  @ApiProperty({ description: 'The state in full, such as `rectifying.inProgress`' })
  stateDetail: string;

  @ApiProperty({ type: 'integer', description: 'Send it back as expectedVersion (or If-Match)' })
  version: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  departmentId: string | null;

  @ApiProperty({ type: String, nullable: true })
  responsiblePerson: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadline: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The deadline first given to the department; `deadline` is the current one' })
  originalDeadline: string | null;

  @ApiProperty({ type: 'integer' })
  extensionCount: number;

  @ApiProperty({ ...PENDING_REQUEST_SCHEMA, description: 'An extension or suspension request waiting for a supervisor' })
  pendingRequest: PendingRequest | null;

  @ApiProperty({ enum: DEADLINE_STATES, description: 'Where the deadline clock stands' })
  deadlineState: string;

  @ApiProperty({
    type: String,
    enum: TRAFFIC_LIGHTS,
    nullable: true,
    description: 'The traffic light (红黄绿灯) under its deadline policy: green on track, yellow from the first reminder, red overdue, black from the policy’s ladder step; null while none applies (not assigned, with the verifier, suspended, finished)',
  })
  light: TrafficLight | null;

  @ApiProperty({ type: [SuspensionRecordDto], description: 'Approved suspensions of the clock (the last one open while suspended)' })
  suspensions: SuspensionRecord[];

  @ApiProperty({ type: () => RectificationPlanDto, nullable: true })
  plan: RectificationPlan | null;

  @ApiProperty({ type: () => ProgressReportDto, nullable: true })
  latestProgress: ProgressReportDto | null;

  @ApiProperty({ type: () => SubmissionDto, nullable: true })
  submission: SubmissionDto | null;

  @ApiProperty({ type: 'integer' })
  reworkCount: number;

  @ApiProperty({ type: 'integer' })
  reopenCount: number;

  @ApiProperty({ enum: RECTIFICATION_EVENT_TYPES, isArray: true, description: 'The events this caller may send now: exactly those that would not be refused' })
  allowedEvents: RectificationEventType[];

  @ApiProperty({ type: () => MachineStampDto })
  machine: MachineStampDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The earlier problem this one repeats (屡查屡犯), when the caller may see it' })
  repeatOf: string | null;
}

/** GET /problems/:id adds the later problems that repeat this one. */
export class ProblemDetailDto extends ProblemViewDto {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Later problems that repeat this one, among those the caller may see' })
  repeatedBy: string[];
}

export class ProblemPageDto {
  @ApiProperty({ type: [ProblemViewDto] })
  items: ProblemViewDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' })
  nextCursor: string | null;
}

export class ProblemCountsByStateDto implements Record<ProblemState, number> {
  @ApiProperty({ type: 'integer' })
  found: number;

  @ApiProperty({ type: 'integer' })
  assigned: number;

  @ApiProperty({ type: 'integer' })
  rectifying: number;

  @ApiProperty({ type: 'integer' })
  verified: number;

  @ApiProperty({ type: 'integer' })
  closed: number;

  @ApiProperty({ type: 'integer' })
  cancelled: number;
}

export class ProblemCountsByLightDto implements Record<TrafficLight, number> {
  @ApiProperty({ type: 'integer' })
  green: number;

  @ApiProperty({ type: 'integer' })
  yellow: number;

  @ApiProperty({ type: 'integer' })
  red: number;

  @ApiProperty({ type: 'integer' })
  black: number;
}

export class ProblemCountsDto {
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: () => ProblemCountsByStateDto, description: 'Every state, zero when none' })
  byState: ProblemCountsByStateDto;

  @ApiProperty({ type: () => ProblemCountsByLightDto, description: 'Every traffic light, zero when none (problems without a light are in none)' })
  byLight: ProblemCountsByLightDto;
}

export class HistoryRowDto implements HistoryRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty({ type: 'integer', description: 'The version this event made' })
  version: number;

  @ApiProperty({ enum: [FILE_EVENT, ...RECTIFICATION_EVENT_TYPES, ...TIMER_EVENT_TYPES], description: 'The filing, an event a person sent, or a timer the scheduler fired' })
  eventType: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's fields as accepted (less type, actor and time)" })
  payload: Record<string, unknown>;

  @ApiProperty()
  actorId: string;

  @ApiProperty()
  actorName: string;

  @ApiProperty({ description: 'A role, or `system` for the scheduler' })
  actorRole: string;

  @ApiProperty({ type: String, nullable: true, description: 'null for the filing' })
  fromState: string | null;

  @ApiProperty()
  toState: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ description: 'The workflow version whose machine took the event', example: '3.0.0' })
  machineVersion: string;

  @ApiProperty({ description: "Hash chained to the previous row's (tamper evidence)" })
  hash: string;
}

export class HistoryDto {
  @ApiProperty({ type: [HistoryRowDto], description: 'In version order' })
  items: HistoryRowDto[];
}

export class ChainBreakDto implements ChainBreak {
  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ type: String, nullable: true })
  historyId: string | null;

  @ApiProperty({ enum: ['hashMismatch', 'versionGap', 'missingRows', 'headMismatch'] })
  reason: ChainBreak['reason'];

  @ApiProperty()
  message: string;
}

export class ProblemChainReportDto implements ProblemChainReport, ChainVerification {
  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty()
  intact: boolean;

  @ApiProperty({ type: 'integer' })
  rows: number;

  @ApiProperty({ type: () => ChainBreakDto, nullable: true, description: 'The first row whose hash does not follow, else null' })
  firstBroken: ChainBreakDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'The hash of the latest row as the problem row records it' })
  head: string | null;
}
