import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type BusinessCalendar, type CoverageWarning, addDays, coverageWarning, toLocalDate, yearOf } from '#calendar';
import { Clock, DomainError } from '#domain';
import { CalendarProvider } from '#engine';
import { Database } from '#persistence';
import { Public } from '../common/auth.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
  ) {}

  /**
   * 200 when the database answers, 503 otherwise; needs no token so load balancers can call it. The calendar's
   * coverage warning is detail for admins: it never makes the service unhealthy.
   */
  @Public()
  @Get()
  // `security: []`: the document's default (a token or the session) does not apply to a @Public route.
  @ApiOperation({ summary: 'Whether the service is up: the database answers; the business calendar and how far its holidays are known', security: [] })
  async check() {
    try {
      await this.db.read((manager) => manager.query('SELECT 1'));
    } catch {
      throw new DomainError('SERVICE.UNAVAILABLE', 'The database does not answer.');
    }
    return { status: 'ok', database: this.db.isSqlite ? 'sqlite' : 'postgres', calendar: this.calendarDetail() };
  }

  private calendarDetail() {
    const calendar = this.calendars.current();
    // "Today" is the calendar's own date: coverage ends at midnight in its zone, not UTC.
    const warning = coverageWarning(calendar, toLocalDate(this.clock.now(), calendar.timeZone));
    return {
      id: calendar.id,
      name: calendar.name,
      version: calendar.version,
      holidayCoverage: calendar.holidayCoverage,
      coverageWarning: warning && { endsOn: warning.endsOn, daysLeft: warning.daysLeft, message: coverageMessage(calendar, warning) },
    };
  }
}

/** What an admin reads, and what to do about it. */
function coverageMessage(calendar: BusinessCalendar, warning: CoverageWarning): string {
  const { endsOn, daysLeft } = warning;
  const nextYear = yearOf(addDays(endsOn, 1));
  const when =
    daysLeft > 1 ? `are known until ${endsOn} (${daysLeft} days left)`
    : daysLeft === 1 ? `are known until ${endsOn} (1 day left)`
    : daysLeft === 0 ? `are known until today, ${endsOn}`
    : `were known until ${endsOn} (${-daysLeft} ${daysLeft === -1 ? 'day' : 'days'} ago)`;
  return (
    `Public holidays of calendar "${calendar.name}" ${when}: deadlines counted past it ignore ${nextYear}'s holidays ` +
    `and are marked provisional until ${nextYear}'s schedule is imported ` +
    `(POST /admin/calendar/import with the .ics and coverageUntil "${nextYear}-12-31", ` +
    `or POST /admin/calendar/refresh-national once the installed holiday package knows ${nextYear}).`
  );
}
