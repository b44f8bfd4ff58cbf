import { stampOf, type BusinessCalendar, type CalendarStamp } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { addDays, isoWeekday, type LocalDate } from './local-date.js';
import { instantAt, toLocalDate, type Instant } from './zoned-time.js';

/** Why a date is not worked. A closure on a public holiday is reported as the holiday. */
export interface NonWorkingReason {
  readonly kind: 'weekend' | 'holiday' | 'closure';
  readonly name?: string;
}

export interface CountedDay {
  readonly date: LocalDate;
  /** 1 for the first working day counted, and so on. */
  readonly ordinal: number;
  /** Set when the day is a weekend day worked in exchange for a holiday (调休上班). */
  readonly makeUpFor?: string;
}

export interface SkippedDay extends NonWorkingReason {
  readonly date: LocalDate;
}

export interface WorkingDaysExplanation {
  readonly calendar: CalendarStamp;
  readonly timeZone: string;
  /** Counting starts on the day after `from` and ends with `to`, both local dates in `timeZone`. */
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** Negative when `to` is before `from`. */
  readonly workingDays: number;
  readonly counted: readonly CountedDay[];
  readonly skipped: readonly SkippedDay[];
  /** Days in the range whose public holidays the calendar does not know yet (e.g. next year's, unpublished). */
  readonly outsideHolidayCoverage: readonly LocalDate[];
}

/** Longest run of non-working days believed possible; more means the calendar data is wrong. */
const MAX_NON_WORKING_RUN = 366;

export function whyNotWorking(calendar: BusinessCalendar, date: LocalDate): NonWorkingReason | null {
  const holiday = calendar.holidays[date];
  if (holiday !== undefined) return { kind: 'holiday', name: holiday };
  const closure = calendar.closures[date];
  if (closure !== undefined) return { kind: 'closure', name: closure };
  if (calendar.makeUpWorkdays[date] !== undefined) return null;
  if (calendar.weekend.includes(isoWeekday(date))) return { kind: 'weekend' };
  return null;
}

export function isWorkingDay(calendar: BusinessCalendar, date: LocalDate): boolean {
  return whyNotWorking(calendar, date) === null;
}

/** Close of business on `date` in the calendar's zone, whether or not `date` is a working day. */
export function endOfWorkingDay(calendar: BusinessCalendar, date: LocalDate): Date {
  return instantAt(date, calendar.workingHours.end, calendar.timeZone);
}

export function startOfWorkingDay(calendar: BusinessCalendar, date: LocalDate): Date {
  return instantAt(date, calendar.workingHours.start, calendar.timeZone);
}

/** The first working day after `date` (not `date` itself). */
export function nextWorkingDay(calendar: BusinessCalendar, date: LocalDate): LocalDate {
  let day = date;
  for (let step = 0; step <= MAX_NON_WORKING_RUN; step += 1) {
    day = addDays(day, 1);
    if (isWorkingDay(calendar, day)) return day;
  }
  throw new InvalidCalendarError(
    `Calendar "${calendar.id}" has no working day in the ${MAX_NON_WORKING_RUN} days after ${date}.`,
    { calendarId: calendar.id, date },
  );
}

/**
 * The working-day deadline "N working days after T".
 *
 * The day T falls on (its local date in the calendar's zone) is not counted, whatever the hour; counting starts the
 * next day, and the deadline is the end of working hours on the Nth working day. This is the rule of the Civil Code
 * of the PRC, art. 201 (开始的当日不计入) and art. 203 (the last day ends when business stops 停止业务活动的时间), so
 * a problem assigned at 23:00 on Monday and at 08:00 on Monday get the same deadline.
 *
 * N = 0 means "by close of business today": the end of T's day when it is a working day, else of the next one.
 */
export function addWorkingDays(calendar: BusinessCalendar, from: Instant | LocalDate, workingDays: number): Date {
  return endOfWorkingDay(calendar, nthWorkingDayAfter(calendar, toLocalDate(from, calendar.timeZone), workingDays));
}

/** The local date of `addWorkingDays`: the Nth working day after `date`. */
export function nthWorkingDayAfter(calendar: BusinessCalendar, date: LocalDate, workingDays: number): LocalDate {
  if (!Number.isSafeInteger(workingDays) || workingDays < 0) {
    throw new InvalidCalendarError(`A number of working days must be a whole number from 0, not ${workingDays}.`, {
      workingDays,
    });
  }
  if (workingDays === 0) return isWorkingDay(calendar, date) ? date : nextWorkingDay(calendar, date);
  let day = date;
  for (let counted = 0; counted < workingDays; counted += 1) day = nextWorkingDay(calendar, day);
  return day;
}

/** The Nth working day before `date` (N ≥ 1): when a reminder "N working days before the deadline" is due. */
export function nthWorkingDayBefore(calendar: BusinessCalendar, date: LocalDate, workingDays: number): LocalDate {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new InvalidCalendarError(`A number of working days before a date must be a whole number from 1, not ${workingDays}.`, {
      workingDays,
    });
  }
  let day = date;
  for (let counted = 0; counted < workingDays; ) {
    day = addDays(day, -1);
    let run = 0;
    while (!isWorkingDay(calendar, day)) {
      if ((run += 1) > MAX_NON_WORKING_RUN) {
        throw new InvalidCalendarError(`Calendar "${calendar.id}" has no working day in the ${MAX_NON_WORKING_RUN} days before ${date}.`, {
          calendarId: calendar.id,
          date,
        });
      }
      day = addDays(day, -1);
    }
    counted += 1;
  }
  return day;
}

/**
 * Working days after `a`'s local date up to and including `b`'s: the inverse of `addWorkingDays`, so
 * `workingDaysBetween(cal, t, addWorkingDays(cal, t, n)) === n` for n ≥ 1. Negative when `b` is before `a`
 * (e.g. how many working days a deadline is overdue, counted the other way).
 */
export function workingDaysBetween(calendar: BusinessCalendar, a: Instant | LocalDate, b: Instant | LocalDate): number {
  return explainWorkingDays(calendar, a, b).workingDays;
}

/** Every day from the day after `from` to `to`: counted with its ordinal, or skipped with why. */
export function explainWorkingDays(
  calendar: BusinessCalendar,
  from: Instant | LocalDate,
  to: Instant | LocalDate,
): WorkingDaysExplanation {
  const fromDate = toLocalDate(from, calendar.timeZone);
  const toDate = toLocalDate(to, calendar.timeZone);
  const sign = toDate < fromDate ? -1 : 1;
  const [first, last] = sign === 1 ? [fromDate, toDate] : [toDate, fromDate];

  const counted: CountedDay[] = [];
  const skipped: SkippedDay[] = [];
  const outsideHolidayCoverage: LocalDate[] = [];
  const coverage = calendar.holidayCoverage;
  for (let day = addDays(first, 1); day <= last; day = addDays(day, 1)) {
    if (coverage && (day < coverage.from || day > coverage.to)) outsideHolidayCoverage.push(day);
    const reason = whyNotWorking(calendar, day);
    if (reason) {
      skipped.push({ date: day, ...reason });
      continue;
    }
    const makeUpFor = calendar.makeUpWorkdays[day];
    const ordinal = counted.length + 1;
    counted.push(makeUpFor === undefined ? { date: day, ordinal } : { date: day, ordinal, makeUpFor });
  }
  return {
    calendar: stampOf(calendar),
    timeZone: calendar.timeZone,
    from: fromDate,
    to: toDate,
    workingDays: sign * counted.length,
    counted,
    skipped,
    outsideHolidayCoverage,
  };
}
