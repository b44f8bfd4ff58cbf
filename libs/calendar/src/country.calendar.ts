import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { createCalendar, DEFAULT_WEEKEND, type BusinessCalendar, type WorkingHours } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { addDays, type LocalDate } from './local-date.js';
import { isValidTimeZone } from './zoned-time.js';

export interface CountryCalendarOptions {
  /** Consecutive years to include. */
  readonly years: readonly number[];
  /** ISO 3166-2 subdivision, e.g. BY for Bavaria: many holidays are regional. */
  readonly state?: string;
  /** Required when the country spans several zones (US, RU, AU…). */
  readonly timeZone?: string;
  /** Not every country rests on Saturday and Sunday; date-holidays does not say, so the caller may. */
  readonly weekend?: readonly number[];
  readonly workingHours?: WorkingHours;
  /** ISO 639-1 language for holiday names; the country's first language when omitted. */
  readonly language?: string;
  readonly id?: string;
  readonly name?: string;
}

/**
 * A country's public holidays (type `public` only: not bank, school or observance days) from `date-holidays`. It
 * knows no make-up working days; for mainland China use `chinaCalendar`, which does.
 */
export function countryCalendar(country: string, options: CountryCalendarOptions): BusinessCalendar {
  const source = new Holidays();
  const region = options.state ? `${country}-${options.state}` : country;
  if (options.state) source.init(country, options.state);
  else source.init(country);
  // init() does not refuse: an unknown country has no rules, and an unknown state falls back to the country's.
  const unknownState = options.state !== undefined && !(options.state in (source.getStates(country) ?? {}));
  if (source.getRules().length === 0 || unknownState) {
    throw new InvalidCalendarError(`date-holidays knows no holidays for ${region}.`, { country, state: options.state });
  }
  const zones = source.getTimezones();
  const timeZone = options.timeZone ?? (zones.length === 1 ? zones[0] : undefined);
  if (!timeZone) {
    throw new InvalidCalendarError(`${region} spans several time zones (${zones.join(', ')}): name one.`, { zones });
  }
  if (!isValidTimeZone(timeZone)) throw new InvalidCalendarError(`${timeZone} is not an IANA time zone.`, { timeZone });
  source.setTimezone(timeZone);
  const language = options.language ?? source.getLanguages()[0] ?? 'en';

  const years = [...new Set(options.years)].sort((a, b) => a - b);
  if (years.length === 0 || years.some((year, index) => index > 0 && year !== years[index - 1] + 1)) {
    throw new InvalidCalendarError(
      `Country calendar years must be one or more consecutive years, not ${years.join(', ')}.`,
      { years },
    );
  }

  const holidays: Record<LocalDate, string> = {};
  for (const year of years) {
    for (const holiday of source.getHolidays(year, language)) {
      if (holiday.type !== 'public') continue;
      for (const date of datesCovered(holiday.date.slice(0, 10), holiday.end, timeZone)) {
        // Two holidays on one day (Ascension and Labour Day, some years): keep both names.
        const already = holidays[date];
        holidays[date] = already && already !== holiday.name ? `${already} / ${holiday.name}` : holiday.name;
      }
    }
  }

  const first = years[0];
  const last = years[years.length - 1];
  return createCalendar({
    id: options.id ?? region.toLowerCase(),
    name: options.name ?? `${region} ${first === last ? first : `${first}–${last}`}`,
    timeZone,
    weekend: options.weekend ?? DEFAULT_WEEKEND,
    ...(options.workingHours ? { workingHours: options.workingHours } : {}),
    holidays,
    holidayCoverage: { from: `${first}-01-01`, to: `${last}-12-31` },
    source: `date-holidays ${region}`,
  });
}

/** A holiday runs from its local start date until `end` (exclusive); most last exactly one day. */
function datesCovered(start: LocalDate, end: Date, timeZone: string): LocalDate[] {
  const dates = [start];
  const startsBeforeEnd = (date: LocalDate): boolean => DateTime.fromISO(date, { zone: timeZone }).toJSDate() < end;
  for (let next = addDays(start, 1); startsBeforeEnd(next); next = addDays(next, 1)) dates.push(next);
  return dates;
}
