import {
  endOfWorkingDay,
  isWorkingDay,
  localDateAt,
  nextWorkingDay,
  startOfWorkingDay,
  type BusinessCalendar,
} from '#calendar';

/**
 * Quiet hours are the organisation's own working calendar read the other way: a message that is not urgent waits
 * for the next working hour, so nobody is told at 23:00, on a Sunday or on a public holiday. The calendar decides
 * what a working day is (holidays, closures, make-up workdays 调休上班); this module only places an instant in it.
 */

/** True when `at` falls on a working day, from the start of its working hours (included) to their end (excluded). */
export function isWithinWorkingHours(calendar: BusinessCalendar, at: Date): boolean {
  const date = localDateAt(at, calendar.timeZone);
  if (!isWorkingDay(calendar, date)) return false;
  const time = at.getTime();
  return time >= startOfWorkingDay(calendar, date).getTime() && time < endOfWorkingDay(calendar, date).getTime();
}

/** The first instant at or after `at` inside the working hours of a working day: `at` itself when it already is. */
export function nextWorkingInstant(calendar: BusinessCalendar, at: Date): Date {
  const date = localDateAt(at, calendar.timeZone);
  if (isWorkingDay(calendar, date)) {
    const start = startOfWorkingDay(calendar, date);
    if (at.getTime() < start.getTime()) return start;
    if (at.getTime() < endOfWorkingDay(calendar, date).getTime()) return new Date(at.getTime());
  }
  return startOfWorkingDay(calendar, nextWorkingDay(calendar, date));
}
