import { InvalidCalendarError } from './calendar.errors.js';
import { isLocalDate, type LocalDate } from './local-date.js';
import { isValidTimeZone } from './zoned-time.js';

/** Wall-clock working hours in the calendar's zone, `HH:MM` (00:00–23:59, so a deadline stays on its own day). */
export interface WorkingHours {
  readonly start: string;
  readonly end: string;
}

/** The dates for which the calendar's public holidays are known to be complete, both included. */
export interface HolidayCoverage {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

/**
 * A business calendar is data: plain, JSON round-trip safe, frozen. Functions in `working-days.ts` read it; edits
 * return a new calendar with the next version, so a deadline can say exactly which calendar it was computed with.
 *
 * A date is a working day unless it is a closure, a holiday, or a weekend day that is not a make-up working day
 * (调休上班, a weekend day worked to make a holiday bridge). Closures are the organisation's own and win over
 * make-up working days.
 */
export interface BusinessCalendar {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  /** IANA time zone, e.g. Asia/Shanghai: local dates and working hours are read in it. */
  readonly timeZone: string;
  /** ISO weekdays (Monday 1 … Sunday 7) that are not worked unless made up. */
  readonly weekend: readonly number[];
  readonly workingHours: WorkingHours;
  /** Public holidays: date → name. */
  readonly holidays: Readonly<Record<LocalDate, string>>;
  /** Make-up working days (调休): date → the holiday they make up for. */
  readonly makeUpWorkdays: Readonly<Record<LocalDate, string>>;
  /** The organisation's own closures: date → reason. */
  readonly closures: Readonly<Record<LocalDate, string>>;
  /** Null when the calendar does not track public holidays at all. */
  readonly holidayCoverage: HolidayCoverage | null;
  /** Where the holidays came from, e.g. `chinese-days 1.5.7`. */
  readonly source: string | null;
}

/** What a deadline remembers about the calendar it was computed with. */
export interface CalendarStamp {
  readonly calendarId: string;
  readonly calendarVersion: number;
}

export type CalendarInput = Pick<BusinessCalendar, 'id' | 'name' | 'timeZone'> &
  Partial<Omit<BusinessCalendar, 'id' | 'name' | 'timeZone'>>;

/** Everything but the identity: what an edit may change. */
export type CalendarChanges = Partial<Omit<BusinessCalendar, 'id' | 'version'>>;

export const DEFAULT_WEEKEND: readonly number[] = [6, 7];
export const DEFAULT_WORKING_HOURS: WorkingHours = { start: '09:00', end: '18:00' };

const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export function createCalendar(input: CalendarInput): BusinessCalendar {
  return validateCalendar({
    version: 1,
    weekend: DEFAULT_WEEKEND,
    workingHours: DEFAULT_WORKING_HOURS,
    holidays: {},
    makeUpWorkdays: {},
    closures: {},
    holidayCoverage: null,
    source: null,
    ...input,
  });
}

/** Reads a calendar back from JSON (or any untrusted object), checking every field. */
export function parseCalendar(json: unknown): BusinessCalendar {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidCalendarError('A calendar must be an object.');
  }
  return validateCalendar(value as Record<string, unknown>);
}

export function stampOf(calendar: BusinessCalendar): CalendarStamp {
  return { calendarId: calendar.id, calendarVersion: calendar.version };
}

/**
 * The one way to edit a calendar: the result has the next version, or is the same calendar when nothing changed,
 * so re-applying an edit does not invalidate deadlines for nothing.
 */
export function reviseCalendar(calendar: BusinessCalendar, changes: CalendarChanges): BusinessCalendar {
  const revised = validateCalendar({ ...calendar, ...changes, id: calendar.id, version: calendar.version + 1 });
  const unchanged = JSON.stringify({ ...revised, version: calendar.version }) === JSON.stringify(calendar);
  return unchanged ? calendar : revised;
}

export function addClosures(
  calendar: BusinessCalendar,
  closures: Readonly<Record<LocalDate, string>>,
): BusinessCalendar {
  return reviseCalendar(calendar, { closures: { ...calendar.closures, ...closures } });
}

export function addClosure(calendar: BusinessCalendar, date: LocalDate, reason: string): BusinessCalendar {
  return addClosures(calendar, { [date]: reason });
}

export function removeClosure(calendar: BusinessCalendar, date: LocalDate): BusinessCalendar {
  const { [date]: _removed, ...closures } = calendar.closures;
  return reviseCalendar(calendar, { closures });
}

function validateCalendar(value: Record<string, unknown>): BusinessCalendar {
  const fail = (field: string, message: string): never => {
    throw new InvalidCalendarError(`Calendar ${describeId(value.id)}: ${field} ${message}`, { field });
  };

  const { id, version, name, timeZone, weekend, workingHours, holidayCoverage, source } = value;
  if (typeof id !== 'string' || id.trim() === '') fail('id', 'must be a non-empty string.');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    fail('version', 'must be a whole number from 1.');
  }
  if (typeof name !== 'string' || name.trim() === '') fail('name', 'must be a non-empty string.');
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) {
    fail('timeZone', `must be an IANA time zone such as Asia/Shanghai, not ${JSON.stringify(timeZone)}.`);
  }
  if (
    !Array.isArray(weekend) ||
    !weekend.every((day) => Number.isInteger(day) && day >= 1 && day <= 7) ||
    new Set(weekend).size !== weekend.length ||
    weekend.length > 6
  ) {
    fail('weekend', 'must list distinct ISO weekdays (1 Monday … 7 Sunday), leaving at least one working weekday.');
  }
  const hours = workingHours as Partial<WorkingHours> | null | undefined;
  if (
    typeof hours?.start !== 'string' ||
    typeof hours.end !== 'string' ||
    !CLOCK_TIME.test(hours.start) ||
    !CLOCK_TIME.test(hours.end) ||
    hours.start >= hours.end
  ) {
    fail('workingHours', 'must be { start: "HH:MM", end: "HH:MM" } with start before end.');
  }
  const holidays = dateRecord(value.holidays, 'holidays', fail);
  const makeUpWorkdays = dateRecord(value.makeUpWorkdays, 'makeUpWorkdays', fail);
  const closures = dateRecord(value.closures, 'closures', fail);
  const both = Object.keys(makeUpWorkdays).filter((date) => date in holidays);
  if (both.length > 0) fail('makeUpWorkdays', `and holidays both list ${both.join(', ')}; a date is one or the other.`);

  let coverage: HolidayCoverage | null = null;
  if (holidayCoverage !== null && holidayCoverage !== undefined) {
    const { from, to } = holidayCoverage as Partial<HolidayCoverage>;
    if (!isLocalDate(from) || !isLocalDate(to) || from > to) {
      fail('holidayCoverage', 'must be null or { from, to } with YYYY-MM-DD dates, from not after to.');
    }
    coverage = Object.freeze({ from: from as LocalDate, to: to as LocalDate });
  }
  if (source !== null && source !== undefined && typeof source !== 'string') {
    fail('source', 'must be a string or null.');
  }

  // Keys in a fixed order, so equal calendars serialise to equal JSON.
  return Object.freeze({
    id: id as string,
    version: version as number,
    name: name as string,
    timeZone: timeZone as string,
    weekend: Object.freeze([...(weekend as number[])].sort((a, b) => a - b)),
    workingHours: Object.freeze({ start: (hours as WorkingHours).start, end: (hours as WorkingHours).end }),
    holidays,
    makeUpWorkdays,
    closures,
    holidayCoverage: coverage,
    source: (source as string | null | undefined) ?? null,
  });
}

function dateRecord(
  value: unknown,
  field: string,
  fail: (field: string, message: string) => never,
): Readonly<Record<LocalDate, string>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, 'must be an object of date → name.');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [date, label] of entries) {
    if (!isLocalDate(date)) fail(field, `has "${date}", which is not a YYYY-MM-DD date.`);
    if (typeof label !== 'string' || label.trim() === '') fail(field, `${date} needs a non-empty name.`);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze(Object.fromEntries(entries) as Record<LocalDate, string>);
}

function describeId(id: unknown): string {
  return typeof id === 'string' && id !== '' ? `"${id}"` : '(no id)';
}
