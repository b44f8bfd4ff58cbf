import { describe, expect, it } from '@jest/globals';
import { InvalidCalendarError } from './calendar.errors.js';
import { countryCalendar } from './country.calendar.js';
import { computeDeadline } from './deadline.js';
import { addWorkingDays, explainWorkingDays, whyNotWorking } from './working-days.js';

const germany = countryCalendar('DE', { years: [2026, 2027], language: 'en' });

describe(countryCalendar.name, () => {
  it("has Germany's nationwide public holidays for 2026, and no observances", () => {
    const holidays2026 = Object.keys(germany.holidays).filter((date) => date.startsWith('2026-'));

    expect(holidays2026).toEqual([
      '2026-01-01', // New Year's Day
      '2026-04-03', // Good Friday
      '2026-04-06', // Easter Monday
      '2026-05-01', // Labour Day
      '2026-05-14', // Ascension Day
      '2026-05-25', // Whit Monday
      '2026-10-03', // Day of German Unity
      '2026-12-25', // Christmas Day
      '2026-12-26', // Boxing Day
    ]);
    expect(germany.timeZone).toBe('Europe/Berlin');
    expect(germany.makeUpWorkdays).toEqual({});
    expect(germany.holidayCoverage).toEqual({ from: '2026-01-01', to: '2027-12-31' });
    expect(whyNotWorking(germany, '2026-02-16')).toBeNull(); // Rosenmontag: an observance, worked
  });

  it('crosses the year end: 2026-12-30 + 5 working days skips New Year but not Epiphany', () => {
    // given Wednesday 30 December 2026, 10:00 in Berlin
    const deadline = computeDeadline(germany, '2026-12-30T09:00:00.000Z', 5);

    // then Thu 31 Dec, Mon 4 – Thu 7 Jan; 18:00 CET is 17:00Z
    expect(deadline.dueAt).toBe('2027-01-07T17:00:00.000Z');
    expect(deadline.provisional).toBe(false);
    expect(explainWorkingDays(germany, deadline.from, deadline.dueAt).skipped).toContainEqual({
      date: '2027-01-01',
      kind: 'holiday',
      name: "New Year's Day",
    });
  });

  it('adds a state’s own holidays: Epiphany in Bavaria moves the same deadline a day', () => {
    const bavaria = countryCalendar('DE', { years: [2026, 2027], state: 'BY' });

    expect(bavaria.id).toBe('de-by');
    expect(whyNotWorking(bavaria, '2027-01-06')).toEqual({ kind: 'holiday', name: 'Heilige Drei Könige' });
    expect(addWorkingDays(bavaria, '2026-12-30T09:00:00.000Z', 5).toISOString()).toBe('2027-01-08T17:00:00.000Z');
  });

  it('ends the working day at 18:00 local time on both sides of the spring clock change', () => {
    // Clocks go forward in Berlin on Sunday 29 March 2026
    expect(addWorkingDays(germany, '2026-03-26T09:00:00.000Z', 1).toISOString()).toBe('2026-03-27T17:00:00.000Z');
    expect(addWorkingDays(germany, '2026-03-27T09:00:00.000Z', 1).toISOString()).toBe('2026-03-30T16:00:00.000Z');
  });

  it('adds substitute days where the country has them (United Kingdom, Christmas 2027 on a weekend)', () => {
    const england = countryCalendar('GB', { years: [2027], state: 'ENG', language: 'en' });

    expect(whyNotWorking(england, '2027-12-27')?.kind).toBe('holiday');
    expect(whyNotWorking(england, '2027-12-28')?.kind).toBe('holiday');
    expect(england.timeZone).toBe('Europe/London');
  });

  it('asks for a zone when the country has several', () => {
    expect(() => countryCalendar('US', { years: [2026] })).toThrow('several time zones');
    expect(countryCalendar('US', { years: [2026], timeZone: 'America/Chicago' }).timeZone).toBe('America/Chicago');
  });

  it.each<[string, string, { years: number[]; state?: string; timeZone?: string }]>([
    ['an unknown country', 'XX', { years: [2026] }],
    ['an unknown state', 'DE', { years: [2026], state: 'ZZ' }],
    ['no years', 'DE', { years: [] }],
    ['a gap between years', 'DE', { years: [2026, 2028] }],
    ['an invalid zone', 'US', { years: [2026], timeZone: 'America/Springfield' }],
  ])('refuses %s', (_label, country, options) => {
    expect(() => countryCalendar(country, options)).toThrow(InvalidCalendarError);
  });
});
