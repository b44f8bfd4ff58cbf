import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type BusinessCalendar, type CoverageWarning, addDays, coverageWarning, toLocalDate, yearOf } from '#calendar';
import { Clock } from '#domain';
import { CalendarProvider } from '#engine';
import { Database, migrationStatus, withinMs } from '#persistence';
import { Public } from '../common/auth.js';
import { HealthDto, ReadinessDto } from './dto/health.response.js';

/** How long readiness waits for each answer of the database: an orchestrator's probe times out soon after. */
const READY_TIMEOUT_MS = 2_000;

/**
 * Liveness and readiness, as an orchestrator asks them: neither needs a token (`security: []`: the document's default,
 * a token or the session, does not apply to a @Public route).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
  ) {}

  /**
   * Liveness: the process answers. It asks the database nothing, so an outage does not get a server restarted that
   * would ride it out. The calendar's coverage warning is detail for admins: it never makes the service unhealthy.
   */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Whether the process is up (liveness; asks the database nothing): the business calendar and how far its holidays are known', security: [] })
  @ApiOkResponse({ type: HealthDto })
  check(): HealthDto {
    return { status: 'ok', database: this.db.isSqlite ? 'sqlite' : 'postgres', calendar: this.calendarDetail() };
  }

  /** Readiness: the database answers and its schema is this version's; 503 says which is not so. */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Whether this server can serve requests (readiness): the database answers and has exactly this version\'s migrations', security: [] })
  @ApiOkResponse({ type: ReadinessDto, description: 'ready' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'not-ready: `reasons` says what is wrong' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessDto> {
    const readiness = await this.readiness();
    if (readiness.status !== 'ready') response.status(503);
    return readiness;
  }

  private async readiness(): Promise<ReadinessDto> {
    const kind = this.db.isSqlite ? 'sqlite' : 'postgres';
    const timedOut = () => new Error(`no answer within ${READY_TIMEOUT_MS} ms`);
    let latencyMs: number;
    try {
      latencyMs = await this.db.ping(READY_TIMEOUT_MS);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: 'not-ready',
        database: { kind, reachable: false, latencyMs: null, error: message },
        migrations: null,
        reasons: [`The database does not answer (${message}): requests answer 503 DATABASE.UNAVAILABLE until it does.`],
      };
    }
    const database = { kind, reachable: true, latencyMs, error: null } as const;
    let pending: string[];
    let unknown: string[];
    try {
      ({ pending, unknown } = await withinMs(migrationStatus(this.db.dataSource), READY_TIMEOUT_MS, timedOut));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'not-ready', database, migrations: null, reasons: [`Reading the applied migrations failed (${message}).`] };
    }
    const reasons = [
      ...(pending.length > 0 ? [`Migrations not applied yet: ${pending.join(', ')}. Restart the server (or run \`cli migrate\`) to apply them.`] : []),
      ...(unknown.length > 0 ? [`The database was migrated by a newer version (${unknown.join(', ')}): run that version here too.`] : []),
    ];
    return {
      status: reasons.length === 0 ? 'ready' : 'not-ready',
      database,
      migrations: { current: reasons.length === 0, pending, unknown },
      reasons,
    };
  }

  private calendarDetail(): HealthDto['calendar'] {
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
