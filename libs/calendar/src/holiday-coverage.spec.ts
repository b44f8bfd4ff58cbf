import { describe, expect, it } from '@jest/globals';
import { createCalendar } from './business-calendar.js';
import { chinaCalendar } from './china.calendar.js';
import { COVERAGE_WARNING_DAYS, coverageWarning } from './holiday-coverage.js';

// Holidays known for 2026 only: coverage ends on 2026-12-31.
const china2026 = chinaCalendar({ years: [2026] });

describe(coverageWarning.name, () => {
  it.each([
    ['half a year before the end', '2026-06-30'],
    ['61 days before the end', '2026-10-31'],
  ])('says nothing %s', (_label, today) => {
    expect(coverageWarning(china2026, today)).toBeNull();
  });

  it.each([
    ['exactly 60 days before the end', '2026-11-01', 60],
    ['30 days before the end', '2026-12-01', 30],
    ['on the last covered day', '2026-12-31', 0],
    ['once the coverage has ended', '2027-01-05', -5],
    ['across a leap year end', '2028-03-01', -426],
  ])('warns %s, counting the days left', (_label, today, daysLeft) => {
    expect(coverageWarning(china2026, today)).toEqual({
      calendarId: china2026.id,
      calendarName: china2026.name,
      endsOn: '2026-12-31',
      daysLeft,
    });
  });

  it('starts warning 60 days before by default', () => {
    expect(COVERAGE_WARNING_DAYS).toBe(60);
  });

  it('takes another warning period', () => {
    // given a period of 90 days
    // when 75 days remain
    const warning = coverageWarning(china2026, '2026-10-17', 90);

    // then it warns, while the default period would not yet
    expect(warning?.daysLeft).toBe(75);
    expect(coverageWarning(china2026, '2026-10-17')).toBeNull();
  });

  it('never warns for a calendar that tracks no public holidays', () => {
    const weekendsOnly = createCalendar({ id: 'office', name: 'Head office', timeZone: 'Europe/Berlin' });

    expect(coverageWarning(weekendsOnly, '2099-12-31')).toBeNull();
  });

  it('warns from the end of a coverage extended by a later year', () => {
    const china2027 = createCalendar({
      id: 'office',
      name: 'Head office',
      timeZone: 'Asia/Shanghai',
      holidayCoverage: { from: '2026-01-01', to: '2027-12-31' },
    });

    expect(coverageWarning(china2027, '2026-12-01')).toBeNull();
    expect(coverageWarning(china2027, '2027-12-01')).toMatchObject({ endsOn: '2027-12-31', daysLeft: 30 });
  });
});
