import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCalendar } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { chinaCalendar } from './china.calendar.js';
import { DomainError } from '#domain';
import { importIcsHolidays, ICS_IMPORT_LIMITS } from './ics-import.js';
import { datesFromTo } from './local-date.js';
import { addWorkingDays, explainWorkingDays, whyNotWorking } from './working-days.js';

const fixture = readFileSync(new URL('./fixtures/org-closures.ics', import.meta.url), 'utf8');
const china2026 = chinaCalendar({ years: [2026] });

function ics(...events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

function allDay(uid: string, start: string, end: string | null, summary: string): string {
  return [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${start}`,
    ...(end ? [`DTEND;VALUE=DATE:${end}`] : []),
    `SUMMARY:${summary}`,
    'END:VEVENT',
  ].join('\r\n');
}

describe(importIcsHolidays.name, () => {
  describe('the organisation closures fixture', () => {
    // given the national calendar and the organisation's own .ics, imported as closures
    const options = { as: 'closure', recurUntil: '2027-12-31' } as const;
    const { calendar, imported, skipped } = importIcsHolidays(china2026, fixture, options);

    it('imports every all-day event, with DTEND exclusive', () => {
      expect(imported).toEqual([
        { date: '2026-07-01', kind: 'closure', name: '建司纪念日 Company anniversary' },
        ...datesFromTo('2026-08-03', '2026-08-07').map((date) => ({ date, kind: 'closure', name: 'Summer shutdown' })),
        { date: '2026-08-08', kind: 'makeUpWorkday', name: 'Summer shutdown (make-up Saturday)' },
        { date: '2026-12-30', kind: 'closure', name: 'Stocktake, warehouse closed' },
        { date: '2026-06-15', kind: 'closure', name: "Founders' Day" },
        { date: '2027-06-15', kind: 'closure', name: "Founders' Day" },
      ]);
      expect(whyNotWorking(calendar, '2026-08-07')).toEqual({ kind: 'closure', name: 'Summer shutdown' });
      expect(whyNotWorking(calendar, '2026-08-10')).toBeNull();
    });

    it('reports the events it did not import, and why', () => {
      expect(skipped).toEqual([
        {
          uid: 'all-hands-2026@example.org',
          summary: 'All-hands meeting',
          reason: expect.stringContaining('timed event'),
        },
        { uid: 'cancelled-2026@example.org', summary: 'Sports day', reason: 'cancelled' },
      ]);
    });

    it('makes a new version and keeps the national holidays', () => {
      expect(calendar.version).toBe(china2026.version + 1);
      expect(calendar.holidays).toEqual(china2026.holidays);
      expect(china2026.closures).toEqual({});
    });

    it('changes deadlines computed with the new version: shutdown skipped, make-up Saturday counted', () => {
      // Friday 31 July + 2 working days: 3–7 Aug closed, Sat 8 Aug worked, then Monday 10 Aug
      expect(addWorkingDays(calendar, '2026-07-31T02:00:00.000Z', 2).toISOString()).toBe('2026-08-10T10:00:00.000Z');
      expect(addWorkingDays(china2026, '2026-07-31T02:00:00.000Z', 2).toISOString()).toBe('2026-08-04T10:00:00.000Z');
    });

    it('is idempotent: importing the same file again keeps the version', () => {
      expect(importIcsHolidays(calendar, fixture, options).calendar).toBe(calendar);
    });
  });

  it('skips a recurring event unless told how far to expand it', () => {
    const { imported, skipped } = importIcsHolidays(china2026, fixture);

    expect(imported.map(({ date }) => date)).not.toContain('2026-06-15');
    expect(skipped).toContainEqual({
      uid: 'founders-day@example.org',
      summary: "Founders' Day",
      reason: expect.stringContaining('recurUntil'),
    });
    expect(imported.find(({ date }) => date === '2026-07-01')?.kind).toBe('holiday');
  });

  it("reads chinese-days' own 2026 .ics into the same holidays and make-up days as its data", () => {
    // given the .ics the package publishes for calendar apps, and a calendar that knows nothing yet
    const path = createRequire(import.meta.url).resolve('chinese-days/dist/years/2026.ics');
    const blank = createCalendar({ id: 'cn-from-ics', name: 'From ics', timeZone: 'Asia/Shanghai' });

    // when imported
    const { calendar } = importIcsHolidays(blank, readFileSync(path, 'utf8'));

    // then the dates agree with the package's JSON, 调休 make-up days included
    expect(Object.keys(calendar.holidays)).toEqual(Object.keys(china2026.holidays));
    expect(Object.keys(calendar.makeUpWorkdays)).toEqual(Object.keys(china2026.makeUpWorkdays));
    expect(calendar.holidays['2026-02-15']).toBe('春节(休)');
    expect(calendar.makeUpWorkdays['2026-02-14']).toBe('春节(班)');
  });

  it('takes an all-day event without DTEND as one day', () => {
    const { imported } = importIcsHolidays(china2026, ics(allDay('a', '20260302', null, 'One day')));

    expect(imported).toEqual([{ date: '2026-03-02', kind: 'holiday', name: 'One day' }]);
  });

  it('keeps both names when two events fall on one day', () => {
    const { calendar } = importIcsHolidays(
      china2026,
      ics(allDay('a', '20260302', '20260303', 'Audit'), allDay('b', '20260302', '20260303', 'Move')),
      { as: 'closure' },
    );

    expect(calendar.closures['2026-03-02']).toBe('Audit / Move');
  });

  it('refuses to make a make-up working day a holiday', () => {
    const clash = ics(allDay('a', '20260214', '20260215', 'Not a make-up day'));

    expect(() => importIcsHolidays(china2026, clash)).toThrow(InvalidCalendarError);
    expect(() => importIcsHolidays(china2026, clash)).toThrow('2026-02-14');
  });

  it('may close the organisation on a make-up working day', () => {
    const file = ics(allDay('a', '20260214', '20260215', 'Closed'));

    const { calendar } = importIcsHolidays(china2026, file, { as: 'closure' });

    expect(whyNotWorking(calendar, '2026-02-14')).toEqual({ kind: 'closure', name: 'Closed' });
  });

  it.each([
    ['text that is not iCalendar', 'hello'],
    ['an unterminated calendar', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'],
  ])('refuses %s', (_label, text) => {
    expect(() => importIcsHolidays(china2026, text)).toThrow(InvalidCalendarError);
  });

  it('imports nothing from a calendar without events, keeping the version', () => {
    const result = importIcsHolidays(china2026, ics());

    expect(result.imported).toEqual([]);
    expect(result.calendar).toBe(china2026);
  });

  describe('extending the holiday coverage with next year\'s schedule (coverageUntil)', () => {
    // A 2027 schedule as test data (not the State Council's): New Year's Day off, a make-up Saturday worked.
    const next = ics(
      allDay('ny-2027', '20270101', '20270104', '元旦(休)'),
      ['BEGIN:VEVENT', 'UID:ny-2027-work', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20270109', 'SUMMARY:元旦(班)', 'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY', 'END:VEVENT'].join('\r\n'),
    );

    it('extends the coverage to the date the file is complete up to, and deadlines past 2026 are no longer provisional', () => {
      // given the national calendar knowing 2026 only
      expect(china2026.holidayCoverage).toEqual({ from: '2026-01-01', to: '2026-12-31' });

      // when next year's schedule is imported as complete up to 2027-12-31
      const { calendar } = importIcsHolidays(china2026, next, { coverageUntil: '2027-12-31', today: '2026-12-01' });

      // then coverage reaches the end of 2027 and the days are taken
      expect(calendar.version).toBe(china2026.version + 1);
      expect(calendar.holidayCoverage).toEqual({ from: '2026-01-01', to: '2027-12-31' });
      expect(whyNotWorking(calendar, '2027-01-01')).toEqual({ kind: 'holiday', name: '元旦(休)' });
      expect(calendar.makeUpWorkdays['2027-01-09']).toBe('元旦(班)');
      expect(explainWorkingDays(calendar, '2027-01-01', '2027-01-20').outsideHolidayCoverage).toEqual([]);
      expect(explainWorkingDays(china2026, '2027-01-01', '2027-01-20').outsideHolidayCoverage).not.toEqual([]);
    });

    it('leaves the coverage alone without coverageUntil: a file of some holidays is not a complete schedule', () => {
      const { calendar } = importIcsHolidays(china2026, next);

      expect(calendar.holidays['2027-01-01']).toBe('元旦(休)');
      expect(calendar.holidayCoverage).toEqual(china2026.holidayCoverage);
    });

    it('never shrinks the coverage', () => {
      const { calendar } = importIcsHolidays(china2026, next, { coverageUntil: '2026-06-30' });

      expect(calendar.holidayCoverage).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    });

    it('starts the coverage at the file for a calendar that tracked no holidays', () => {
      const blank = createCalendar({ id: 'cn-from-ics', name: 'From ics', timeZone: 'Asia/Shanghai' });

      const { calendar } = importIcsHolidays(blank, next, { coverageUntil: '2027-12-31' });

      expect(calendar.holidayCoverage).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    });

    it.each([
      ['with closures', { as: 'closure', coverageUntil: '2027-12-31' }, 'as: "holiday"'],
      ['that is not a date', { coverageUntil: '2027-13-01' }, 'YYYY-MM-DD'],
      ['beyond the horizon', { coverageUntil: '2037-01-01', today: '2026-12-01' }, '2036-12-01'],
    ] as const)('refuses coverageUntil %s', (_label, options, message) => {
      expect(() => importIcsHolidays(china2026, next, options)).toThrow(InvalidCalendarError);
      expect(() => importIcsHolidays(china2026, next, options)).toThrow(message);
    });
  });

  describe('bounds on what one file may add', () => {
    const TODAY = '2026-03-02';
    function recurring(uid: string, start: string, rule: string, summary = `Event ${uid}`): string {
      return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:${start}`, `RRULE:${rule}`, `SUMMARY:${summary}`, 'END:VEVENT'].join('\r\n');
    }
    function refusal(run: () => unknown): DomainError {
      try {
        run();
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected the import to be refused');
    }

    it('refuses a daily recurrence to year 9999 at once, naming the event -> CALENDAR.RECURRENCE_TOO_LONG', () => {
      // given the file that used to hang the server: a daily rule with UNTIL 9999-12-31, expanded as far
      const file = ics(recurring('daily@example.org', '20260302', 'FREQ=DAILY;UNTIL=99991231', 'Daily closure'));

      // when
      const error = refusal(() => importIcsHolidays(china2026, file, { recurUntil: '9999-12-31', today: TODAY }));

      // then
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('CALENDAR.RECURRENCE_TOO_LONG');
      expect(error.details).toMatchObject({ uid: 'daily@example.org', summary: 'Daily closure' });
      expect(error.message).toContain('daily@example.org');
    });

    it('refuses a recurrence with more occurrences than one event may have, even within the horizon', () => {
      // given a daily rule without end, expanded over four years (some 1 400 days)
      const file = ics(recurring('daily@example.org', '20260302', 'FREQ=DAILY'));

      // when
      const error = refusal(() => importIcsHolidays(china2026, file, { recurUntil: '2029-12-31', today: TODAY }));

      // then
      expect(error.code).toBe('CALENDAR.RECURRENCE_TOO_LONG');
      expect(error.details).toMatchObject({ uid: 'daily@example.org', maxOccurrences: ICS_IMPORT_LIMITS.maxOccurrencesPerEvent });
    });

    it('refuses a recurrence reaching beyond the horizon, naming the latest date it takes', () => {
      // given a yearly closure expanded to 2099: few occurrences, but decades ahead
      const file = ics(recurring('yearly@example.org', '20260601', 'FREQ=YEARLY'));

      // when
      const error = refusal(() => importIcsHolidays(china2026, file, { recurUntil: '2099-12-31', today: TODAY }));

      // then
      expect(error.code).toBe('CALENDAR.RECURRENCE_TOO_LONG');
      expect(error.details).toMatchObject({ uid: 'yearly@example.org', latestDate: '2036-03-02' });
    });

    it('expands a recurrence within both bounds, as before', () => {
      const file = ics(recurring('yearly@example.org', '20260601', 'FREQ=YEARLY;COUNT=3'));

      const { imported } = importIcsHolidays(china2026, file, { recurUntil: '9999-12-31', today: TODAY });

      expect(imported.map(({ date }) => date)).toEqual(['2026-06-01', '2027-06-01', '2028-06-01']);
    });

    it('ends a rule that never matches (30 February) at recurUntil instead of looping forever', () => {
      // given a rule ical.js's iterator used to spin on without end
      const file = ics(recurring('never@example.org', '20260302', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'));

      // when / then: only DTSTART itself (always the first occurrence, RFC 5545), within recurUntil; refused when
      // asked to look past the horizon
      expect(importIcsHolidays(china2026, file, { recurUntil: '2030-12-31', today: TODAY }).imported.map(({ date }) => date)).toEqual(['2026-03-02']);
      expect(refusal(() => importIcsHolidays(china2026, file, { recurUntil: '9999-12-31', today: TODAY })).code).toBe('CALENDAR.RECURRENCE_TOO_LONG');
    });

    it('stops a file whose rules take too many steps to expand, all events together', () => {
      // given rules that never match, from 1900: each walks some 47 000 days to reach recurUntil
      const events = Array.from({ length: 2 }, (_, index) => recurring(`never-${index}`, '19000101', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'));

      // when
      const error = refusal(() => importIcsHolidays(china2026, ics(...events), { recurUntil: '2030-12-31', today: TODAY }));

      // then
      expect(error.code).toBe('CALENDAR.RECURRENCE_TOO_LONG');
      expect(error.details).toMatchObject({ maxExpansionSteps: ICS_IMPORT_LIMITS.maxExpansionSteps });
    });

    it.each([
      ['a huge interval, past year 9999', 'FREQ=DAILY;INTERVAL=1000000', 'CALENDAR.RECURRENCE_TOO_LONG'],
      ['a rule ical.js cannot expand on a date', 'FREQ=SECONDLY', 'VALIDATION_FAILED'],
    ])('refuses %s without a 500', (_label, rule, code) => {
      const file = ics(recurring('odd@example.org', '20260302', rule));

      expect(refusal(() => importIcsHolidays(china2026, file, { recurUntil: '9999-12-31', today: TODAY })).code).toBe(code);
    });

    it('refuses a file adding more days than one import takes -> CALENDAR.IMPORT_TOO_LARGE', () => {
      // given fifteen events of a year each, in the past
      const years = Array.from({ length: 15 }, (_, index) => 2000 + index);
      const file = ics(...years.map((year) => allDay(`y${year}`, `${year}0101`, `${year}1231`, `Year ${year}`)));

      // when
      const error = refusal(() => importIcsHolidays(china2026, file, { today: TODAY }));

      // then
      expect(error.code).toBe('CALENDAR.IMPORT_TOO_LARGE');
      expect(error.details).toMatchObject({ maxDays: ICS_IMPORT_LIMITS.maxDaysPerFile });
    });

    it('refuses a file with more events than one import takes -> CALENDAR.IMPORT_TOO_LARGE', () => {
      const events = Array.from({ length: ICS_IMPORT_LIMITS.maxEventsPerFile + 1 }, (_, index) => allDay(`e${index}`, '20260302', null, 'Same day'));

      const error = refusal(() => importIcsHolidays(china2026, ics(...events), { today: TODAY }));

      expect(error.code).toBe('CALENDAR.IMPORT_TOO_LARGE');
      expect(error.details).toMatchObject({ maxEvents: ICS_IMPORT_LIMITS.maxEventsPerFile });
    });

    it('skips, and reports, a single event beyond the horizon or with an over-long name', () => {
      const file = ics(allDay('far', '20400101', null, 'Far away'), allDay('long', '20260302', null, 'x'.repeat(201)), allDay('ok', '20260303', null, 'Fine'));

      const { imported, skipped } = importIcsHolidays(china2026, file, { today: TODAY });

      expect(imported).toEqual([{ date: '2026-03-03', kind: 'holiday', name: 'Fine' }]);
      expect(skipped).toEqual([
        { uid: 'far', summary: 'Far away', reason: expect.stringContaining('2036-03-02') },
        { uid: 'long', summary: expect.any(String), reason: expect.stringContaining('200 characters') },
      ]);
      expect(skipped[1].summary!.length).toBeLessThanOrEqual(200);
    });
  });
});
