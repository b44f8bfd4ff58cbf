import type { BusinessCalendar } from './business-calendar.js';
import { chinaCalendar } from './china.calendar.js';
import { countryCalendar } from './country.calendar.js';

/**
 * The organisation's calendar from its setting: `CN` (the default) is mainland China's working calendar with its
 * make-up working days; any other ISO 3166 country code takes that country's public holidays (date-holidays) for
 * the years around `now`, in `timeZone` when the country spans several.
 */
export function calendarFromSetting(setting: string, now: Date, timeZone?: string): BusinessCalendar {
  const code = setting.trim().toUpperCase();
  if (code === 'CN') return chinaCalendar();
  const year = now.getUTCFullYear();
  return countryCalendar(code, { years: [year - 1, year, year + 1, year + 2], ...(timeZone ? { timeZone } : {}) });
}
