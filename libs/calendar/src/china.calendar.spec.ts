import { describe, expect, it } from '@jest/globals';
import { createCalendar } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { chinaCalendar, chinaScheduleYears } from './china.calendar.js';
import { computeDeadline } from './deadline.js';
import { datesFromTo, isoWeekday } from './local-date.js';
import { addWorkingDays, explainWorkingDays, isWorkingDay, whyNotWorking, workingDaysBetween } from './working-days.js';

/**
 * The State Council's 2026 schedule (国务院办公厅 notice of November 2025, gov.cn content_7047091), typed here from
 * the notice so the test checks the package's data against it rather than against itself.
 */
const OFFICIAL_2026_HOLIDAYS: [string, string, string][] = [
  ['元旦', '2026-01-01', '2026-01-03'],
  ['春节', '2026-02-15', '2026-02-23'],
  ['清明', '2026-04-04', '2026-04-06'],
  ['劳动节', '2026-05-01', '2026-05-05'],
  ['端午', '2026-06-19', '2026-06-21'],
  ['中秋', '2026-09-25', '2026-09-27'],
  ['国庆节', '2026-10-01', '2026-10-07'],
];
const OFFICIAL_2026_MAKE_UP_WORKDAYS: Record<string, string> = {
  '2026-01-04': '元旦', // Sunday
  '2026-02-14': '春节', // Saturday
  '2026-02-28': '春节', // Saturday
  '2026-05-09': '劳动节', // Saturday
  '2026-09-20': '国庆节', // Sunday
  '2026-10-10': '国庆节', // Saturday
};

const china2026 = chinaCalendar({ years: [2026] });

describe(chinaCalendar.name, () => {
  describe("mainland China's official 2026 schedule", () => {
    it('has exactly the public holidays of the State Council notice', () => {
      const expected = Object.fromEntries(
        OFFICIAL_2026_HOLIDAYS.flatMap(([name, from, to]) => datesFromTo(from, to).map((date) => [date, name])),
      );

      expect(china2026.holidays).toEqual(expected);
      expect(Object.keys(china2026.holidays)).toHaveLength(33);
    });

    it('has exactly the make-up working days (调休上班) of the notice, each on a weekend', () => {
      expect(china2026.makeUpWorkdays).toEqual(OFFICIAL_2026_MAKE_UP_WORKDAYS);
      for (const date of Object.keys(china2026.makeUpWorkdays)) expect([6, 7]).toContain(isoWeekday(date));
    });

    it.each(OFFICIAL_2026_HOLIDAYS)('%s from %s to %s is not worked, whatever the weekday', (name, from, to) => {
      for (const date of datesFromTo(from, to)) {
        expect(isWorkingDay(china2026, date)).toBe(false);
        expect(whyNotWorking(china2026, date)).toEqual({ kind: 'holiday', name });
      }
    });

    it.each(Object.entries(OFFICIAL_2026_MAKE_UP_WORKDAYS))('%s, a weekend day, is worked (make-up for %s)', (date) => {
      expect(isWorkingDay(china2026, date)).toBe(true);
      expect(whyNotWorking(china2026, date)).toBeNull();
    });

    it('has 248 working days in 2026', () => {
      // 365 days − 104 weekend days − 19 holidays falling on weekdays + 6 make-up days
      expect(workingDaysBetween(china2026, '2025-12-31', '2026-12-31')).toBe(248);
    });

    it('is in Asia/Shanghai with the package named as its source', () => {
      expect(china2026.timeZone).toBe('Asia/Shanghai');
      expect(china2026.weekend).toEqual([6, 7]);
      expect(china2026.holidayCoverage).toEqual({ from: '2026-01-01', to: '2026-12-31' });
      expect(china2026.source).toMatch(/^chinese-days \d+\.\d+\.\d+$/);
    });

    it('names holidays in English on request', () => {
      const english = chinaCalendar({ years: [2026], language: 'en' });

      expect(english.holidays['2026-02-17']).toBe('Spring Festival');
      expect(english.makeUpWorkdays['2026-09-20']).toBe('National Day');
    });
  });

  describe('deadlines', () => {
    it('counts across the Spring Festival: the make-up Saturday counts, the nine days off do not', () => {
      // given a problem assigned on Friday 13 February 2026 at 10:00 in Beijing
      const assignedAt = '2026-02-13T02:00:00.000Z';

      // when it gets 5 working days
      const dueAt = addWorkingDays(china2026, assignedAt, 5);
      const explanation = explainWorkingDays(china2026, assignedAt, dueAt);

      // then Sat 14 Feb (make-up) is day 1, 15–23 Feb are skipped, and Fri 27 Feb closes at 18:00 Beijing
      expect(dueAt.toISOString()).toBe('2026-02-27T10:00:00.000Z');
      expect(explanation.counted).toEqual([
        { date: '2026-02-14', ordinal: 1, makeUpFor: '春节' },
        { date: '2026-02-24', ordinal: 2 },
        { date: '2026-02-25', ordinal: 3 },
        { date: '2026-02-26', ordinal: 4 },
        { date: '2026-02-27', ordinal: 5 },
      ]);
      expect(explanation.skipped).toEqual(
        datesFromTo('2026-02-15', '2026-02-23').map((date) => ({ date, kind: 'holiday', name: '春节' })),
      );
    });

    it.each([
      ['Friday 27 Feb', '2026-02-27T01:00:00.000Z', '2026-02-28T10:00:00.000Z'],
      ['Saturday 19 Sep', '2026-09-19T01:00:00.000Z', '2026-09-20T10:00:00.000Z'],
      ['Saturday 3 Jan', '2026-01-03T01:00:00.000Z', '2026-01-04T10:00:00.000Z'],
    ])('counts a make-up weekend day as the next working day after %s', (_label, from, due) => {
      expect(addWorkingDays(china2026, from, 1).toISOString()).toBe(due);
    });

    it('skips Golden Week and counts the make-up Saturday after it', () => {
      // given Wednesday 30 September; when 3 working days are added
      const dueAt = addWorkingDays(china2026, '2026-09-30T03:00:00.000Z', 3);

      // then Thu 8, Fri 9 and the make-up Sat 10 October
      expect(dueAt.toISOString()).toBe('2026-10-10T10:00:00.000Z');
    });

    it('counts from the Beijing date, not the UTC one: 2026-03-01T17:30Z is already Monday 2 March 01:30', () => {
      // given the instant, and a twin calendar read in UTC
      const at = '2026-03-01T17:30:00.000Z';
      const utcTwin = createCalendar({ ...china2026, timeZone: 'UTC' });

      // then in Beijing Monday is the start day (not counted), so 1 working day ends Tuesday
      expect(addWorkingDays(china2026, at, 1).toISOString()).toBe('2026-03-03T10:00:00.000Z');
      // while in UTC it is still Sunday, and 1 working day ends Monday
      expect(addWorkingDays(utcTwin, at, 1).toISOString()).toBe('2026-03-02T18:00:00.000Z');
      // and "today" in Beijing is a working Monday already
      expect(addWorkingDays(china2026, at, 0).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    });

    it('moves by a day across Beijing midnight, one second apart', () => {
      // 15:59:59Z is 23:59:59 on Sunday 1 March in Beijing; 16:00:00Z is 00:00 on Monday 2 March
      expect(addWorkingDays(china2026, '2026-03-01T15:59:59.000Z', 1).toISOString()).toBe('2026-03-02T10:00:00.000Z');
      expect(addWorkingDays(china2026, '2026-03-01T16:00:00.000Z', 1).toISOString()).toBe('2026-03-03T10:00:00.000Z');
    });

    it('crosses the year end (2026-12-30 + 5 working days) and flags 2027 as not yet published', () => {
      // given Wednesday 30 December 2026, with only 2026's schedule known
      const deadline = computeDeadline(china2026, '2026-12-30T01:00:00.000Z', 5);

      // then Thu 31 Dec, Fri 1 Jan and Mon 4 – Wed 6 Jan 2027 are counted
      expect(deadline.dueAt).toBe('2027-01-06T10:00:00.000Z');
      // and the deadline is provisional: 2027's New Year holiday is not in the data yet
      expect(deadline.provisional).toBe(true);
      expect(explainWorkingDays(china2026, deadline.from, deadline.dueAt).outsideHolidayCoverage).toEqual(
        datesFromTo('2027-01-01', '2027-01-06'),
      );
    });

    it('crosses the year end from an instant that is still 2026 in UTC but already 2027 in Beijing', () => {
      // 2026-12-31T16:30Z is 00:30 on Friday 1 January 2027 in Beijing: the 1st is the start day
      expect(addWorkingDays(china2026, '2026-12-31T16:30:00.000Z', 1).toISOString()).toBe('2027-01-04T10:00:00.000Z');
      expect(addWorkingDays(china2026, '2026-12-31T15:30:00.000Z', 1).toISOString()).toBe('2027-01-01T10:00:00.000Z');
    });

    it('counts from the 2025 schedule into 2026 when both years are loaded, without being provisional', () => {
      // given both years; Wednesday 31 December 2025 + 2 working days: 1–3 Jan off, Sunday 4 Jan made up
      const calendar = chinaCalendar({ years: [2025, 2026] });
      const deadline = computeDeadline(calendar, '2025-12-31T02:00:00.000Z', 2);

      expect(deadline.dueAt).toBe('2026-01-05T10:00:00.000Z');
      expect(deadline.provisional).toBe(false);
    });
  });

  it('includes every year the package knows by default, 2026 among them', () => {
    const years = chinaScheduleYears();
    const calendar = chinaCalendar();

    expect(years).toContain(2026);
    expect(calendar.holidayCoverage).toEqual({ from: `${years[0]}-01-01`, to: `${years[years.length - 1]}-12-31` });
    expect(calendar.holidays['2026-10-01']).toBe('国庆节');
  });

  it('refuses a year the package has no schedule for, instead of guessing plain weekends', () => {
    const unknownYear = chinaScheduleYears().at(-1)! + 1;

    expect(() => chinaCalendar({ years: [2026, unknownYear] })).toThrow(InvalidCalendarError);
    expect(() => chinaCalendar({ years: [2026, unknownYear] })).toThrow(`no holiday schedule for ${unknownYear}`);
  });

  it('refuses years that are not consecutive, which would leave a year without holidays', () => {
    expect(() => chinaCalendar({ years: [2024, 2026] })).toThrow(InvalidCalendarError);
  });
});
