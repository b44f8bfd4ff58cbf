import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays, datesFromTo, daysBetween, isLocalDate, isoWeekday } from './local-date.js';

describe(isLocalDate.name, () => {
  it.each([
    ['2026-03-02', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-3-2', false],
    ['2026-03-02T00:00:00Z', false],
    [20260302, false],
  ])('%s -> %s', (value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });
});

describe(addDays.name, () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-01-01', -1, '2025-12-31'],
  ])('%s + %d = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('is undone by daysBetween', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (days) => {
        expect(daysBetween('2026-03-02', addDays('2026-03-02', days))).toBe(days);
      }),
    );
  });
});

describe(isoWeekday.name, () => {
  it.each([
    ['2026-03-02', 1],
    ['2026-02-14', 6],
    ['2026-01-04', 7],
    ['1970-01-01', 4],
    ['1969-12-28', 7],
  ])('%s is weekday %d', (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });
});

describe(datesFromTo.name, () => {
  it('lists both ends across a year end, and nothing when reversed', () => {
    expect(datesFromTo('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesFromTo('2027-01-02', '2026-12-30')).toEqual([]);
  });
});
