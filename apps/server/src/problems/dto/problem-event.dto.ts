import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { RECTIFICATION_EVENT_TYPES, type RectificationEventType } from '#rectification';
import { InYearRange, IsInstant } from '../../common/validation.js';

/**
 * One DTO per event type: `POST /problems/:id/events` picks the class by `type` and validates the whole body
 * against it, so each event's payload has its own rules and unknown fields are rejected.
 */
abstract class ProblemEventDto {
  @ApiProperty({ enum: RECTIFICATION_EVENT_TYPES })
  @IsIn(RECTIFICATION_EVENT_TYPES)
  type: RectificationEventType;

  @ApiPropertyOptional({ description: 'Version the caller last saw; a stale version gets 409 and changes nothing. `If-Match` works too.', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

/**
 * The base of one event type's DTO, which documents `type` as that one value: the body of
 * `POST /problems/:id/events` is then a tagged union, as the service reads it (it picks the class by `type`).
 */
function EventDto<T extends RectificationEventType>(type: T) {
  abstract class OneEventDto extends ProblemEventDto {
    @ApiProperty({ enum: [type] })
    declare type: T;
  }
  return OneEventDto;
}

function text(max: number) {
  return [IsString(), IsNotEmpty(), MaxLength(max)];
}
function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class AssignEventDto extends EventDto('ASSIGN') {
  @ApiProperty({ description: 'Responsible department id' })
  @IsUUID()
  departmentId: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @apply(text(100))
  responsiblePerson?: string;

  @ApiPropertyOptional({ description: 'Rectification deadline (ISO 8601), at most DEADLINE_HORIZON_YEARS (default 5) years ahead; required unless set at filing' })
  // Not @IsOptional(): that would let `null` through, to be read as 1970-01-01.
  @ValidateIf((_object, value) => value !== undefined)
  @IsInstant()
  deadline?: string;
}

export class ReassignEventDto extends EventDto('REASSIGN') {
  @ApiProperty({ description: 'New responsible department id' })
  @IsUUID()
  departmentId: string;

  @ApiProperty({ maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class StartEventDto extends EventDto('START') {
  @ApiProperty({ description: 'Rectification measures (the plan)', maxLength: 5000 })
  @apply(text(5000))
  measures: string;

  @ApiProperty({ maxLength: 100 })
  @apply(text(100))
  responsiblePerson: string;

  @ApiProperty({ description: 'Planned completion date (ISO 8601 date or instant), in the years 2000 to 2100', example: '2026-12-20' })
  @IsISO8601({ strict: true })
  @InYearRange()
  plannedCompletionDate: string;
}

export class ReportProgressEventDto extends EventDto('REPORT_PROGRESS') {
  @ApiProperty({ maxLength: 5000 })
  @apply(text(5000))
  note: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  percent?: number;
}

export class SubmitEventDto extends EventDto('SUBMIT') {
  @ApiProperty({ description: 'What was done', maxLength: 5000 })
  @apply(text(5000))
  summary: string;
}

export class ApproveEventDto extends EventDto('APPROVE') {
  @ApiProperty({ maxLength: 2000 })
  @apply(text(2000))
  comment: string;
}

export class RejectEventDto extends EventDto('REJECT') {
  @ApiProperty({ description: 'Why the rectification is not accepted', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class CloseEventDto extends EventDto('CLOSE') {
  @ApiProperty({ maxLength: 2000 })
  @apply(text(2000))
  comment: string;
}

export class CancelEventDto extends EventDto('CANCEL') {
  @ApiProperty({ description: 'e.g. invalid finding, duplicate of another problem', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class ReopenEventDto extends EventDto('REOPEN') {
  @ApiProperty({ description: 'Why the problem is back (it recurred)', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class RequestExtensionEventDto extends EventDto('REQUEST_EXTENSION') {
  @ApiProperty({ description: 'Why more time is needed', maxLength: 2000 })
  @apply(text(2000))
  reason: string;

  @ApiProperty({ description: 'The deadline asked for, with a time zone; later than the current one, at most DEADLINE_HORIZON_YEARS years ahead', example: '2026-04-30T18:00:00+08:00' })
  @IsInstant()
  proposedDeadline: string;
}

export class ApproveExtensionEventDto extends EventDto('APPROVE_EXTENSION') {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @apply(text(2000))
  comment?: string;

  @ApiPropertyOptional({ description: 'The new deadline, with a time zone; the proposed one when absent' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsInstant()
  deadline?: string;
}

export class RejectExtensionEventDto extends EventDto('REJECT_EXTENSION') {
  @ApiProperty({ description: 'Why the extension is refused', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class RequestSuspensionEventDto extends EventDto('REQUEST_SUSPENSION') {
  @ApiProperty({ description: 'What the work waits on (a third party)', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class ApproveSuspensionEventDto extends EventDto('APPROVE_SUSPENSION') {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @apply(text(2000))
  comment?: string;
}

export class RejectSuspensionEventDto extends EventDto('REJECT_SUSPENSION') {
  @ApiProperty({ description: 'Why the clock keeps running', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export class ResumeEventDto extends EventDto('RESUME') {
  @ApiPropertyOptional({ description: 'e.g. the part arrived', maxLength: 2000 })
  @IsOptional()
  @apply(text(2000))
  comment?: string;
}

export class RecountDeadlineEventDto extends EventDto('RECOUNT_DEADLINE') {
  @ApiProperty({ description: 'Why the deadline is counted again on the current calendar (e.g. a closure added)', maxLength: 2000 })
  @apply(text(2000))
  reason: string;
}

export const PROBLEM_EVENT_DTOS: Record<RectificationEventType, new () => ProblemEventDto> = {
  ASSIGN: AssignEventDto,
  REASSIGN: ReassignEventDto,
  START: StartEventDto,
  REPORT_PROGRESS: ReportProgressEventDto,
  SUBMIT: SubmitEventDto,
  APPROVE: ApproveEventDto,
  REJECT: RejectEventDto,
  CLOSE: CloseEventDto,
  CANCEL: CancelEventDto,
  REOPEN: ReopenEventDto,
  REQUEST_EXTENSION: RequestExtensionEventDto,
  APPROVE_EXTENSION: ApproveExtensionEventDto,
  REJECT_EXTENSION: RejectExtensionEventDto,
  REQUEST_SUSPENSION: RequestSuspensionEventDto,
  APPROVE_SUSPENSION: ApproveSuspensionEventDto,
  REJECT_SUSPENSION: RejectSuspensionEventDto,
  RESUME: ResumeEventDto,
  RECOUNT_DEADLINE: RecountDeadlineEventDto,
};
