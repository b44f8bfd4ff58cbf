import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidCalendarError } from '#calendar';
import { type Actor, DomainError } from '#domain';
import { CalendarAdministration, CalendarProvider } from '#engine';
import { CurrentActor, Roles } from '../common/auth.js';
import { AddClosureDto, CalendarYearQueryDto, ImportIcsDto } from './dto/calendar.dto.js';
import { CalendarSummaryDto, CalendarYearDto, IcsImportReportDto } from './dto/calendar.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarAdministration,
    private readonly calendars: CalendarProvider,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The business calendar in force: version, zone, working hours, holiday coverage, closures' })
  @ApiOkResponse({ type: CalendarSummaryDto })
  current() {
    return this.calendar.summary();
  }

  @Get('days')
  @ApiOperation({ summary: "One year's days off and make-up workdays (调休) of the calendar in force, by date, for the console's year view" })
  @ApiOkResponse({ type: CalendarYearDto })
  days(@Query() query: CalendarYearQueryDto) {
    const calendar = this.calendars.current();
    // Local dates are YYYY-MM-DD, so the year is their first four characters.
    const ofYear = (days: Readonly<Record<string, string>>) =>
      Object.fromEntries(Object.entries(days).filter(([date]) => date.startsWith(`${query.year}-`)));
    return {
      year: query.year,
      version: calendar.version,
      timeZone: calendar.timeZone,
      weekend: calendar.weekend,
      holidayCoverage: calendar.holidayCoverage,
      holidays: ofYear(calendar.holidays),
      makeUpWorkdays: ofYear(calendar.makeUpWorkdays),
      closures: ofYear(calendar.closures),
    };
  }

  @Post('closures')
  @ApiOperation({ summary: 'Add a closure of the organisation (a new calendar version; deadlines already set do not move)' })
  @ApiCreatedResponse({ type: CalendarSummaryDto })
  addClosure(@CurrentActor() admin: Actor, @Body() dto: AddClosureDto) {
    return this.calendar.addClosure(admin, dto.date, dto.reason);
  }

  @Delete('closures/:date')
  @ApiOperation({ summary: 'Remove a closure (a new calendar version)' })
  @ApiOkResponse({ type: CalendarSummaryDto })
  removeClosure(@CurrentActor() admin: Actor, @Param('date') date: string) {
    return this.calendar.removeClosure(admin, date);
  }

  @Post('import')
  @ApiOperation({ summary: 'Import holidays or closures from an iCalendar (.ics) file; reports what was imported and skipped' })
  @ApiCreatedResponse({ type: IcsImportReportDto })
  async importIcs(@CurrentActor() admin: Actor, @Body() dto: ImportIcsDto) {
    try {
      return await this.calendar.importIcs(admin, dto.ics, { as: dto.as, recurUntil: dto.recurUntil, coverageUntil: dto.coverageUntil });
    } catch (error) {
      throw error instanceof InvalidCalendarError ? invalidIcs(error) : error;
    }
  }

  @Post('refresh-national')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the national holiday schedule the installed calendar package knows now, keeping closures' })
  @ApiOkResponse({ type: CalendarSummaryDto })
  refreshNational(@CurrentActor() admin: Actor) {
    return this.calendar.refreshNational(admin);
  }
}

/** A file the calendar cannot read: VALIDATION_FAILED naming the field, as every validation failure does. */
function invalidIcs(error: InvalidCalendarError): DomainError {
  const field = /^(recurUntil|coverageUntil)\b/.exec(error.message)?.[1] ?? 'ics';
  return new DomainError('VALIDATION_FAILED', error.message, { ...error.details, fields: [{ field, messages: [error.message] }] });
}
