import type { BusinessCalendar } from './business-calendar.js';
import { daysBetween, type LocalDate } from './local-date.js';

/** How long before its holiday data runs out a calendar starts warning (issue 14: "from 60 days before"). */
export const COVERAGE_WARNING_DAYS = 60;

/**
 * The public holidays a calendar knows end on `endsOn`: deadlines counted past it skip weekends only (and are
 * marked provisional) until the next year's schedule is imported.
 */
export interface CoverageWarning {
  readonly calendarId: string;
  readonly calendarName: string;
  /** The last date whose holidays are known, included. */
  readonly endsOn: LocalDate;
  /** Days from today to `endsOn`: 0 on the last covered day, negative once past it. */
  readonly daysLeft: number;
}

/**
 * A warning when fewer than `warnDays` days of holiday data remain (or none does), else null. A calendar that tracks
 * no public holidays (coverage null) has nothing to run out of.
 */
export function coverageWarning(
  calendar: BusinessCalendar,
  today: LocalDate,
  warnDays: number = COVERAGE_WARNING_DAYS,
): CoverageWarning | null {
  const coverage = calendar.holidayCoverage;
  if (coverage === null) return null;
  const daysLeft = daysBetween(today, coverage.to);
  if (daysLeft > warnDays) return null;
  return { calendarId: calendar.id, calendarName: calendar.name, endsOn: coverage.to, daysLeft };
}
