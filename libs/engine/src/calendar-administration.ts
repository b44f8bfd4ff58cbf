import { Inject, Injectable } from '@nestjs/common';
import {
  addClosure,
  type BusinessCalendar,
  importIcsHolidays,
  type LocalDate,
  removeClosure,
  reviseCalendar,
  toLocalDate,
} from '#calendar';
import { type Actor, Clock, DomainError } from '#domain';
import { SEED_CALENDAR } from './calendar.provider.js';
import { StoredCalendarProvider } from './stored-calendar.provider.js';

export interface CalendarSummary {
  id: string;
  version: number;
  name: string;
  timeZone: string;
  weekend: readonly number[];
  workingHours: { start: string; end: string };
  holidayCoverage: BusinessCalendar['holidayCoverage'];
  source: string | null;
  holidays: number;
  makeUpWorkdays: number;
  closures: Readonly<Record<LocalDate, string>>;
}

/**
 * The organisation's calendar as admins edit it: closures of its own, holidays imported from an iCalendar
 * file, and the national schedule refreshed from the installed package. Each edit stores a new version;
 * deadlines already set keep the version they were counted with.
 */
@Injectable()
export class CalendarAdministration {
  constructor(
    private readonly calendars: StoredCalendarProvider,
    @Inject(SEED_CALENDAR) private readonly national: BusinessCalendar,
    private readonly clock: Clock,
  ) {}

  summary(calendar: BusinessCalendar = this.calendars.current()): CalendarSummary {
    return {
      id: calendar.id,
      version: calendar.version,
      name: calendar.name,
      timeZone: calendar.timeZone,
      weekend: calendar.weekend,
      workingHours: calendar.workingHours,
      holidayCoverage: calendar.holidayCoverage,
      source: calendar.source,
      holidays: Object.keys(calendar.holidays).length,
      makeUpWorkdays: Object.keys(calendar.makeUpWorkdays).length,
      closures: calendar.closures,
    };
  }

  async addClosure(admin: Actor, date: LocalDate, reason: string): Promise<CalendarSummary> {
    const current = this.calendars.current();
    return this.publish(admin, current, addClosure(current, date, reason), 'calendar.closure_added', { date, reason });
  }

  async removeClosure(admin: Actor, date: LocalDate): Promise<CalendarSummary> {
    const current = this.calendars.current();
    if (!(date in current.closures)) {
      throw new DomainError('CALENDAR.NO_SUCH_CLOSURE', `The calendar has no closure on ${date}.`, { field: 'date' });
    }
    return this.publish(admin, current, removeClosure(current, date), 'calendar.closure_removed', { date });
  }

  async importIcs(
    admin: Actor,
    ics: string,
    options: { as?: 'holiday' | 'closure'; recurUntil?: LocalDate; coverageUntil?: LocalDate },
  ): Promise<CalendarSummary & { imported: unknown[]; skipped: unknown[] }> {
    const current = this.calendars.current();
    // Today in the calendar's zone bounds how far ahead the file may reach (ICS_IMPORT_LIMITS.maxYearsAhead).
    const result = importIcsHolidays(current, ics, { ...options, today: toLocalDate(this.clock.now(), current.timeZone) });
    const summary = await this.publish(admin, current, result.calendar, 'calendar.ics_imported', {
      as: options.as ?? 'holiday',
      imported: result.imported.length,
      skipped: result.skipped.length,
      ...(options.coverageUntil === undefined ? {} : { holidayCoverage: result.calendar.holidayCoverage }),
    });
    return { ...summary, imported: [...result.imported], skipped: [...result.skipped] };
  }

  /** Takes the national schedule the installed package knows now (e.g. next year's), keeping the closures. */
  async refreshNational(admin: Actor): Promise<CalendarSummary> {
    const current = this.calendars.current();
    const next = reviseCalendar(current, {
      holidays: this.national.holidays,
      makeUpWorkdays: this.national.makeUpWorkdays,
      holidayCoverage: this.national.holidayCoverage,
      source: this.national.source,
    });
    return this.publish(admin, current, next, 'calendar.national_refreshed', { holidayCoverage: this.national.holidayCoverage });
  }

  private async publish(
    admin: Actor,
    current: BusinessCalendar,
    next: BusinessCalendar,
    action: string,
    details: Record<string, unknown>,
  ): Promise<CalendarSummary> {
    // An edit that changes nothing keeps the version (and writes no audit row).
    if (next.version === current.version) return this.summary(current);
    const saved = await this.calendars.publish(next, {
      actorId: admin.userId,
      actorName: admin.name,
      action,
      details,
      at: this.clock.now().toISOString(),
    });
    if (!saved) {
      throw new DomainError(
        'CALENDAR.VERSION_CONFLICT',
        `Someone else changed the calendar first (version ${next.version} exists); reload it and try again.`,
        { version: next.version },
      );
    }
    return this.summary(this.calendars.current());
  }
}
