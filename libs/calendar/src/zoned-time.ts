import { DateTime, IANAZone } from 'luxon';
import { InvalidCalendarError } from './calendar.errors.js';
import { isLocalDate, type LocalDate } from './local-date.js';

/**
 * The only place where instants meet time zones. Zone rules (offsets, daylight saving) come from the IANA database
 * through luxon and the runtime's Intl, never from a table kept here.
 */

/** An instant: a Date, or an ISO 8601 date-time that names its offset (`Z` or `+08:00`). */
export type Instant = Date | string;

const ES_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const HAS_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Zone arithmetic through luxon costs microseconds per call and deadlines are planned on every event, over a few
 * distinct days and instants: the answers (pure functions of their arguments) are remembered, a bounded number.
 */
const MEMO_LIMIT = 20_000;
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}
const localDates = new Map<string, LocalDate>();
const instants = new Map<string, number>();

export function isValidTimeZone(timeZone: string): boolean {
  return IANAZone.isValidZone(timeZone);
}

export function toDate(at: Instant): Date {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new InvalidCalendarError('The instant is an invalid Date.');
    return new Date(at.getTime());
  }
  // A date-time without an offset means a different instant in every zone: refuse it rather than guess.
  if (!HAS_OFFSET.test(at)) {
    throw new InvalidCalendarError(`"${at}" is not an instant: give an ISO 8601 date-time with Z or an offset.`, {
      value: at,
    });
  }
  // The common form (what toISOString and most clients write) parses natively; luxon takes every other ISO form.
  if (ES_DATE_TIME.test(at)) {
    const epochMs = Date.parse(at);
    if (!Number.isNaN(epochMs)) return new Date(epochMs);
  }
  const parsed = DateTime.fromISO(at, { setZone: true });
  if (!parsed.isValid) throw new InvalidCalendarError(`"${at}" is not a valid ISO 8601 date-time.`, { value: at });
  return parsed.toJSDate();
}

/** The civil date in `timeZone` at instant `at`. */
export function localDateAt(at: Instant, timeZone: string): LocalDate {
  const date = toDate(at);
  return memo(localDates, `${date.getTime()}|${timeZone}`, () => DateTime.fromJSDate(date, { zone: timeZone }).toISODate() as LocalDate);
}

/**
 * The instant at wall-clock `time` (HH:MM) on `date` in `timeZone`. A time that a daylight-saving jump skips moves
 * forward by the jump; a time that occurs twice is its first occurrence.
 */
export function instantAt(date: LocalDate, time: string, timeZone: string): Date {
  const epochMs = memo(instants, `${date}|${time}|${timeZone}`, () => {
    const [hour, minute] = time.split(':').map(Number);
    const at = DateTime.fromISO(date, { zone: timeZone }).set({ hour, minute, second: 0, millisecond: 0 });
    if (!at.isValid) throw new InvalidCalendarError(`No such time ${time} on ${date} in ${timeZone}.`);
    return at.toMillis();
  });
  return new Date(epochMs);
}

/** A local date given as `YYYY-MM-DD` is taken as is; an instant becomes its local date in `timeZone`. */
export function toLocalDate(at: Instant | LocalDate, timeZone: string): LocalDate {
  if (typeof at === 'string' && isLocalDate(at)) return at;
  return localDateAt(at, timeZone);
}
