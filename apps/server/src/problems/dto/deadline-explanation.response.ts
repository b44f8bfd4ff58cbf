import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { CountedDay } from '#calendar';
import type { DeadlineExplanation, PlannedStep } from '#engine';
import type { EscalationTarget } from '#access';
import type { DeadlineBasis, EscalationRecipients, ExtensionRecord, PendingRequest } from '#rectification';
import { nullableUnion, PENDING_REQUEST_SCHEMA, PendingExtensionRequestDto, PendingSuspensionRequestDto, SuspensionRecordDto } from './problem.response.js';

// GET /problems/:id/deadline (the engine's DeadlineExplanation plus the escalation recipients), for the OpenAPI document.

const RECIPIENTS = ['departmentHead', 'supervisingOffice', 'leadership'] as const satisfies readonly EscalationRecipients[];

export class ExplicitDeadlineBasisDto {
  @ApiProperty({ enum: ['explicit'] })
  kind: 'explicit';

  @ApiProperty({ format: 'date-time', description: 'When the deadline was given' })
  setAt: string;

  @ApiPropertyOptional({ description: 'The deadline policy whose reminders and ladder it runs under (absent: version 1)' })
  policyId?: string;

  @ApiPropertyOptional({ type: 'integer' })
  policyVersion?: number;
}

export class PolicyDeadlineBasisDto {
  @ApiProperty({ enum: ['policy'] })
  kind: 'policy';

  @ApiProperty()
  policyId: string;

  @ApiProperty({ type: 'integer' })
  policyVersion: number;

  @ApiProperty()
  calendarId: string;

  @ApiProperty({ type: 'integer' })
  calendarVersion: number;

  @ApiProperty({ format: 'date-time', description: 'The count starts after this instant’s local day' })
  from: string;

  @ApiProperty({ type: 'integer' })
  workingDays: number;

  @ApiProperty({ description: 'Some counted day lies beyond the holidays the calendar knows' })
  provisional: boolean;
}

export class PolicyInUseDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ example: '安全检查整改时限' })
  name: string;
}

export class CalendarInUseDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;
}

export class ClockBeforeExtensionDto {
  @ApiProperty({ type: 'integer' })
  remindersSent: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  overdueSince: string | null;

  @ApiProperty({ type: 'integer' })
  escalationLevel: number;
}

export class ExtensionRecordDto implements ExtensionRecord {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The deadline it replaced' })
  from: string | null;

  @ApiProperty({ format: 'date-time', description: 'The deadline it set' })
  to: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty()
  requestedBy: string;

  @ApiProperty({ format: 'date-time' })
  approvedAt: string;

  @ApiProperty()
  approvedBy: string;

  @ApiProperty({ type: () => ClockBeforeExtensionDto })
  clockBefore: ClockBeforeExtensionDto;
}

export class ExplainedSuspensionDto extends SuspensionRecordDto {
  @ApiProperty({ type: 'integer', description: 'Working days it skipped (so far, while it lasts)' })
  skippedWorkingDays: number;
}

export class CalendarStampDto {
  @ApiProperty()
  calendarId: string;

  @ApiProperty({ type: 'integer' })
  calendarVersion: number;
}

export class CountedDayDto implements CountedDay {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ type: 'integer', description: '1 for the first working day counted, and so on' })
  ordinal: number;

  @ApiPropertyOptional({ description: 'A weekend day worked in exchange for a holiday (调休上班): the holiday’s name' })
  makeUpFor?: string;
}

export class SkippedDayDto {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ enum: ['weekend', 'holiday', 'closure', 'suspended'] })
  kind: 'weekend' | 'holiday' | 'closure' | 'suspended';

  @ApiPropertyOptional({ description: "The holiday's name, the closure's or the suspension's reason" })
  name?: string;
}

export class SkippedCountsDto {
  @ApiProperty({ type: 'integer' })
  weekend: number;

  @ApiProperty({ type: 'integer' })
  holiday: number;

  @ApiProperty({ type: 'integer' })
  closure: number;

  @ApiProperty({ type: 'integer' })
  suspended: number;
}

export class SkippedRunDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ enum: ['holiday', 'closure', 'suspended'] })
  kind: 'holiday' | 'closure' | 'suspended';

  @ApiPropertyOptional()
  name?: string;
}

export class DateRunDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: 'integer' })
  count: number;
}

export class LaterDaysDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: 'integer' })
  workingDays: number;

  @ApiProperty({ type: () => SkippedCountsDto })
  skipped: SkippedCountsDto;

  @ApiProperty({ type: [SkippedRunDto], description: 'Runs of days off other than weekends, in date order (the first ones)' })
  runs: SkippedRunDto[];

  @ApiProperty({ type: 'integer', description: 'Runs left out of `runs`' })
  moreRuns: number;

  @ApiProperty({ type: [DateRunDto], description: 'Stretches whose public holidays the calendar does not know yet' })
  outsideHolidayCoverage: DateRunDto[];
}

export class CountingExplanationDto {
  @ApiProperty({ type: () => CalendarStampDto })
  calendar: CalendarStampDto;

  @ApiProperty()
  timeZone: string;

  @ApiProperty({ format: 'date', description: 'Counting starts on the day after' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: 'integer', description: 'Every working day of the count; negative when `to` is before `from`' })
  workingDays: number;

  @ApiProperty({ type: [CountedDayDto] })
  counted: CountedDayDto[];

  @ApiProperty({ type: [SkippedDayDto] })
  skipped: SkippedDayDto[];

  @ApiProperty({ type: String, format: 'date', isArray: true, description: 'Listed days whose public holidays the calendar does not know yet' })
  outsideHolidayCoverage: string[];

  @ApiProperty({ format: 'date', description: 'Days are listed one by one through this one' })
  listedThrough: string;

  @ApiProperty({ type: () => LaterDaysDto, nullable: true, description: 'The days after `listedThrough`, summarised; null when all are listed' })
  later: LaterDaysDto | null;
}

export class PlannedReminderDto {
  @ApiProperty({ enum: ['reminder'] })
  kind: 'reminder';

  @ApiProperty({ type: 'integer' })
  workingDaysBefore: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ description: 'Its time has come' })
  due: boolean;
}

export class PlannedEscalationDto {
  @ApiProperty({ enum: ['escalation'] })
  kind: 'escalation';

  @ApiProperty({ type: 'integer', description: '1: department head, 2: supervising office, 3: leadership' })
  level: number;

  @ApiProperty({ example: '督办通知书', description: "The step's name in the policy the problem runs under" })
  name: string;

  @ApiProperty({ type: 'integer' })
  workingDaysAfterDeadline: number;

  @ApiProperty({ enum: RECIPIENTS })
  recipients: EscalationRecipients;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty()
  due: boolean;
}

export class EscalationRecipientDto implements EscalationTarget {
  @ApiProperty({ format: 'uuid' })
  departmentId: string;

  @ApiProperty()
  departmentName: string;

  @ApiProperty({ type: String, nullable: true })
  headUserId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The head’s name.' })
  headName: string | null;
}

/** Where each escalation level would go; null while unassigned or when the hierarchy has no such department. */
export class EscalationRecipientsDto implements Record<EscalationRecipients, EscalationRecipientDto | null> {
  @ApiProperty({ type: () => EscalationRecipientDto, nullable: true })
  departmentHead: EscalationRecipientDto | null;

  @ApiProperty({ type: () => EscalationRecipientDto, nullable: true })
  supervisingOffice: EscalationRecipientDto | null;

  @ApiProperty({ type: () => EscalationRecipientDto, nullable: true })
  leadership: EscalationRecipientDto | null;
}

@ApiExtraModels(ExplicitDeadlineBasisDto, PolicyDeadlineBasisDto, PlannedReminderDto, PlannedEscalationDto, PendingExtensionRequestDto, PendingSuspensionRequestDto)
export class DeadlineExplanationDto implements DeadlineExplanation {
  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty({ description: 'The state in full, such as `rectifying.inProgress`' })
  state: string;

  @ApiProperty()
  severity: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadline: string | null;

  @ApiProperty({
    ...nullableUnion('kind', { explicit: ExplicitDeadlineBasisDto, policy: PolicyDeadlineBasisDto }),
    description: 'How the deadline was set: given, or counted by the working-day policy on a calendar version',
  })
  basis: DeadlineBasis | null;

  @ApiProperty({ type: () => PolicyInUseDto, description: 'The deadline policy version the problem runs under (its reminders and escalation ladder)' })
  policy: PolicyInUseDto;

  @ApiProperty({ type: () => CalendarInUseDto })
  calendar: CalendarInUseDto;

  @ApiProperty({ description: 'False when the deadline was stamped with a calendar version this server no longer has' })
  stampedCalendarAvailable: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  originalDeadline: string | null;

  @ApiProperty({ type: 'integer' })
  extensionCount: number;

  @ApiProperty({ type: [ExtensionRecordDto] })
  extensions: ExtensionRecordDto[];

  @ApiProperty({ type: [ExplainedSuspensionDto] })
  suspensions: ExplainedSuspensionDto[];

  @ApiProperty({ description: 'The clock is suspended now' })
  suspended: boolean;

  @ApiProperty(PENDING_REQUEST_SCHEMA)
  pendingRequest: PendingRequest | null;

  @ApiProperty({ type: () => CountingExplanationDto, nullable: true })
  counting: DeadlineExplanation['counting'];

  @ApiProperty({ type: String, nullable: true, description: 'Why there is no count although there is a deadline; null otherwise' })
  notCounted: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  elapsedWorkingDays: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Negative once overdue' })
  remainingWorkingDays: number | null;

  @ApiProperty()
  overdue: boolean;

  @ApiProperty({ description: 'The clock runs while the department has the problem' })
  clockRunning: boolean;

  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [{ $ref: getSchemaPath(PlannedReminderDto) }, { $ref: getSchemaPath(PlannedEscalationDto) }],
      discriminator: { propertyName: 'kind', mapping: { reminder: getSchemaPath(PlannedReminderDto), escalation: getSchemaPath(PlannedEscalationDto) } },
    },
    description: 'Reminders and escalation levels the policy plans around this deadline, in time order',
  })
  schedule: PlannedStep[];

  @ApiProperty({ type: () => EscalationRecipientsDto })
  recipients: EscalationRecipientsDto;
}
