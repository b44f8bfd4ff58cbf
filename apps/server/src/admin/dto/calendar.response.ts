import { ApiProperty } from '@nestjs/swagger';
import type { ImportedDay, SkippedEvent, WorkingHours } from '#calendar';
import type { CalendarSummary } from '#engine';
import { HolidayCoverageDto } from '../../health/dto/health.response.js';

/** Dates (YYYY-MM-DD, in the calendar's zone) to a name or a reason. */
const DAYS_BY_DATE = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** ISO weekdays, Monday 1 … Sunday 7. */
const WEEKDAYS = { type: 'integer', isArray: true, minimum: 1, maximum: 7 } as const;

export class WorkingHoursDto implements WorkingHours {
  @ApiProperty({ description: 'HH:MM, wall-clock time in the calendar\'s zone', example: '09:00' })
  start: string;

  @ApiProperty({ description: 'HH:MM, wall-clock time in the calendar\'s zone', example: '18:00' })
  end: string;
}

/** The business calendar in force, as admins edit it: each edit answers with the new version. */
export class CalendarSummaryDto implements CalendarSummary {
  @ApiProperty({ example: 'cn-mainland' })
  id: string;

  @ApiProperty({ type: 'integer', description: 'Deadlines keep the version they were counted with' })
  version: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ ...WEEKDAYS, description: 'ISO weekdays (Monday 1 … Sunday 7) not worked unless made up' })
  weekend: number[];

  @ApiProperty({ type: () => WorkingHoursDto })
  workingHours: WorkingHoursDto;

  @ApiProperty({ type: HolidayCoverageDto, nullable: true, description: 'The days whose public holidays are known; null when it tracks none' })
  holidayCoverage: HolidayCoverageDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'Where the holidays came from', example: 'chinese-days 1.5.7' })
  source: string | null;

  @ApiProperty({ type: 'integer', description: 'How many public holidays it knows' })
  holidays: number;

  @ApiProperty({ type: 'integer', description: 'How many make-up workdays (调休) it knows' })
  makeUpWorkdays: number;

  @ApiProperty({ ...DAYS_BY_DATE, description: 'The organisation\'s own closures: date → reason' })
  closures: Record<string, string>;
}

/** A day an iCalendar import took. */
export class IcsImportedDayDto implements ImportedDay {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ enum: ['holiday', 'closure', 'makeUpWorkday'] })
  kind: 'holiday' | 'closure' | 'makeUpWorkday';

  @ApiProperty({ description: 'The event\'s SUMMARY' })
  name: string;
}

/** An event of the file that did not become whole days. */
export class IcsSkippedEventDto implements SkippedEvent {
  @ApiProperty({ type: String, nullable: true })
  uid: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'At most 200 characters of it' })
  summary: string | null;

  @ApiProperty({ example: 'recurring event: pass recurUntil to expand it' })
  reason: string;
}

/** POST /admin/calendar/import: the calendar now in force, and what the file gave. */
export class IcsImportReportDto extends CalendarSummaryDto {
  @ApiProperty({ type: [IcsImportedDayDto] })
  imported: IcsImportedDayDto[];

  @ApiProperty({ type: [IcsSkippedEventDto], description: 'With why, so nothing in the file is dropped silently' })
  skipped: IcsSkippedEventDto[];
}

/** GET /admin/calendar/days: one year's days of the calendar in force, for the year view. */
export class CalendarYearDto {
  @ApiProperty({ type: 'integer', example: 2026 })
  year: number;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ ...WEEKDAYS, description: 'ISO weekdays (Monday 1 … Sunday 7) not worked unless made up' })
  weekend: number[];

  @ApiProperty({ type: HolidayCoverageDto, nullable: true, description: 'The days whose public holidays are known; null when it tracks none' })
  holidayCoverage: HolidayCoverageDto | null;

  @ApiProperty({ ...DAYS_BY_DATE, description: 'Public holidays of the year: date → name' })
  holidays: Record<string, string>;

  @ApiProperty({ ...DAYS_BY_DATE, description: 'Make-up workdays (调休上班) of the year: date → the holiday they make up for' })
  makeUpWorkdays: Record<string, string>;

  @ApiProperty({ ...DAYS_BY_DATE, description: 'The organisation\'s closures of the year: date → reason' })
  closures: Record<string, string>;
}
