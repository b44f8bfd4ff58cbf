import type { CalendarYear } from '../../api/views';

export type DayKind = 'holiday' | 'makeUpWorkday' | 'closure' | 'weekend' | 'workday';

export interface GridDay {
  date: string;
  day: number;
  kind: DayKind;
  /** The holiday's name, the 调休 note or the closure's reason. */
  note: string | null;
}

/** A month as weeks of seven cells, Monday first; null where the month has no day. */
export type MonthGrid = Array<Array<GridDay | null>>;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * What a day is on the organisation's calendar. A closure wins (the organisation is shut whatever the date), then
 * a make-up workday (调休: a weekend day worked), then a holiday, then the weekend.
 */
export function dayKind(days: CalendarYear, date: string, weekday: number): { kind: DayKind; note: string | null } {
  if (date in days.closures) return { kind: 'closure', note: days.closures[date] };
  if (date in days.makeUpWorkdays) return { kind: 'makeUpWorkday', note: days.makeUpWorkdays[date] };
  if (date in days.holidays) return { kind: 'holiday', note: days.holidays[date] };
  return days.weekend.includes(weekday) ? { kind: 'weekend', note: null } : { kind: 'workday', note: null };
}

/** Month 1–12 of the year as a Monday-first grid. Dates are local dates: computed in UTC so no zone shifts them. */
export function monthGrid(days: CalendarYear, month: number): MonthGrid {
  const length = new Date(Date.UTC(days.year, month, 0)).getUTCDate();
  // getUTCDay: 0 Sunday … 6 Saturday; Monday-first column = (weekday + 6) % 7.
  const lead = (new Date(Date.UTC(days.year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: Array<GridDay | null> = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= length; day++) {
    const date = `${days.year}-${pad(month)}-${pad(day)}`;
    const weekday = new Date(Date.UTC(days.year, month - 1, day)).getUTCDay();
    cells.push({ date, day, ...dayKind(days, date, weekday) });
  }
  while (cells.length % 7 !== 0) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, week) => cells.slice(week * 7, week * 7 + 7));
}
