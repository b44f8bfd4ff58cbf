// The package's published JSON (documented in its README), not its date functions: those parse dates in the
// process's own time zone and answer for the wrong day west of UTC (getDayDetail('2026-02-14') under
// TZ=America/Los_Angeles describes 2026-02-13).
import schedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import chineseDaysPackage from 'chinese-days/package.json' with { type: 'json' };
import { createCalendar, DEFAULT_WEEKEND, type BusinessCalendar, type WorkingHours } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import type { LocalDate } from './local-date.js';

export interface ChinaCalendarOptions {
  /** Consecutive years to include; all the years the package knows when omitted. */
  readonly years?: readonly number[];
  readonly id?: string;
  readonly name?: string;
  readonly workingHours?: WorkingHours;
  /** Holiday names in Chinese (春节) or English (Spring Festival). */
  readonly language?: 'zh' | 'en';
}

export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** Years for which the installed `chinese-days` carries the State Council's schedule (国务院办公厅 放假安排). */
export function chinaScheduleYears(): number[] {
  return [...new Set(Object.keys(schedule.holidays).map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);
}

/**
 * Mainland China's working calendar: public holidays and make-up working days (调休上班) from the `chinese-days`
 * package, which follows each year's State Council notice. A year the package does not know is refused rather than
 * filled with plain weekends: upgrade the package once the notice for that year is out (usually in November).
 */
export function chinaCalendar(options: ChinaCalendarOptions = {}): BusinessCalendar {
  const known = chinaScheduleYears();
  const years = [...new Set(options.years ?? known)].sort((a, b) => a - b);
  if (years.length === 0) throw new InvalidCalendarError('Name at least one year for the China calendar.');
  const unknown = years.filter((year) => !known.includes(year));
  if (unknown.length > 0) {
    throw new InvalidCalendarError(
      `chinese-days ${chineseDaysPackage.version} has no holiday schedule for ${unknown.join(', ')} ` +
        `(it knows ${known[0]}–${known[known.length - 1]}). ` +
        'Upgrade it once the State Council has published the schedule.',
      { unknownYears: unknown },
    );
  }
  if (years.some((year, index) => index > 0 && year !== years[index - 1] + 1)) {
    throw new InvalidCalendarError(`China calendar years must be consecutive, not ${years.join(', ')}.`, { years });
  }

  const inYears = (date: string): boolean => years.includes(Number(date.slice(0, 4)));
  const pick = (record: Record<string, string>): Record<LocalDate, string> =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([date]) => inYears(date))
        .map(([date, label]) => [date, holidayName(label, options.language ?? 'zh')]),
    );
  const first = years[0];
  const last = years[years.length - 1];

  return createCalendar({
    id: options.id ?? 'cn-mainland',
    name: options.name ?? (first === last ? `中国大陆 ${first}` : `中国大陆 ${first}–${last}`),
    timeZone: CHINA_TIME_ZONE,
    weekend: DEFAULT_WEEKEND,
    ...(options.workingHours ? { workingHours: options.workingHours } : {}),
    holidays: pick(schedule.holidays),
    makeUpWorkdays: pick(schedule.workdays),
    holidayCoverage: { from: `${first}-01-01`, to: `${last}-12-31` },
    source: `chinese-days ${chineseDaysPackage.version}`,
  });
}

/** The package labels each day "English name,中文名,days", e.g. "Spring Festival,春节,4". */
function holidayName(label: string, language: 'zh' | 'en'): string {
  const [english, chinese] = label.split(',');
  return (language === 'zh' ? chinese : english)?.trim() || label;
}
