import { stampOf, type BusinessCalendar, type CalendarStamp } from './business-calendar.js';
import { CalendarMismatchError } from './calendar.errors.js';
import { addWorkingDays, explainWorkingDays, type WorkingDaysExplanation } from './working-days.js';
import { toDate, type Instant } from './zoned-time.js';

/**
 * A deadline counted in working days. It is a value: it keeps the calendar id and version it was computed with, so
 * a later edit of the calendar (a new closure, next year's holidays) never moves it. Only `recomputeDeadline`, called
 * on purpose, does.
 */
export interface WorkingDayDeadline extends CalendarStamp {
  /** ISO instant the count starts from (its local day is not counted). */
  readonly from: string;
  readonly workingDays: number;
  /** ISO instant, UTC: end of working hours on the last working day. */
  readonly dueAt: string;
  /**
   * Some day counted lies outside the calendar's known public holidays (typically next year's, before the State
   * Council publishes them in November): the deadline may move when they are added and it is recomputed.
   */
  readonly provisional: boolean;
}

export interface DeadlineExplanation extends WorkingDaysExplanation {
  readonly dueAt: string;
}

export function computeDeadline(calendar: BusinessCalendar, from: Instant, workingDays: number): WorkingDayDeadline {
  const start = toDate(from);
  const dueAt = addWorkingDays(calendar, start, workingDays);
  return {
    ...stampOf(calendar),
    from: start.toISOString(),
    workingDays,
    dueAt: dueAt.toISOString(),
    provisional: explainWorkingDays(calendar, start, dueAt).outsideHolidayCoverage.length > 0,
  };
}

export function isComputedWith(deadline: CalendarStamp, calendar: BusinessCalendar): boolean {
  return deadline.calendarId === calendar.id && deadline.calendarVersion === calendar.version;
}

/** Counts the same working days from the same start again with (usually a newer version of) the same calendar. */
export function recomputeDeadline(deadline: WorkingDayDeadline, calendar: BusinessCalendar): WorkingDayDeadline {
  if (deadline.calendarId !== calendar.id) {
    throw new CalendarMismatchError(
      `The deadline was computed with calendar "${deadline.calendarId}", not "${calendar.id}".`,
      { ...stampOf(calendar), deadlineCalendarId: deadline.calendarId },
    );
  }
  return computeDeadline(calendar, deadline.from, deadline.workingDays);
}

/**
 * Which days were counted for a deadline and which were skipped, and why. Needs the very calendar version the
 * deadline was stamped with: any other version could tell a different story than the one that set the date.
 */
export function explainDeadline(deadline: WorkingDayDeadline, calendar: BusinessCalendar): DeadlineExplanation {
  if (!isComputedWith(deadline, calendar)) {
    throw new CalendarMismatchError(
      `The deadline was computed with calendar "${deadline.calendarId}" version ${deadline.calendarVersion}; ` +
        `this is "${calendar.id}" version ${calendar.version}. Load that version to explain it.`,
      {
        ...stampOf(calendar),
        deadlineCalendarId: deadline.calendarId,
        deadlineCalendarVersion: deadline.calendarVersion,
      },
    );
  }
  return { ...explainWorkingDays(calendar, deadline.from, deadline.dueAt), dueAt: deadline.dueAt };
}
