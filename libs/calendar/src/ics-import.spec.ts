import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCalendar } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { chinaCalendar } from './china.calendar.js';
import { importIcsHolidays } from './ics-import.js';
import { datesFromTo } from './local-date.js';
import { addWorkingDays, whyNotWorking } from './working-days.js';

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
});
