/**
 * A civil date with no time and no zone, as `YYYY-MM-DD` (ISO 8601 calendar date). Holidays, make-up working days
 * and closures are local dates: 2026-10-01 is National Day in Beijing whatever the UTC instant. Arithmetic on local
 * dates is civil-calendar arithmetic (days, months, leap years) and involves no time zone; converting an instant to
 * a local date happens only in `zoned-time.ts`.
 */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function epochDay(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date in the form YYYY-MM-DD`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
}

function fromEpochDay(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD` (so 2026-02-29 is false). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string' || !LOCAL_DATE.test(value)) return false;
  return fromEpochDay(epochDay(value)) === value;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

/** Signed number of days from `a` to `b` (b − a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return epochDay(b) - epochDay(a);
}

/** ISO weekday: Monday 1 … Sunday 7. 1970-01-01 (epoch day 0) was a Thursday. */
export function isoWeekday(date: LocalDate): number {
  return ((((epochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** Each date from `from` to `to`, both included; empty when `to` is before `from`. */
export function datesFromTo(from: LocalDate, to: LocalDate): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let day = epochDay(from), last = epochDay(to); day <= last; day += 1) dates.push(fromEpochDay(day));
  return dates;
}
