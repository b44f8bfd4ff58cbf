import { describe, expect, it } from 'vitest';
import type { CalendarYear } from '../../api/views';
import { dayKind, monthGrid } from './calendar-grid';

const YEAR_2026: CalendarYear = {
  year: 2026,
  version: 3,
  timeZone: 'Asia/Shanghai',
  weekend: [0, 6],
  holidayCoverage: { from: '2026-01-01', to: '2026-12-31' },
  holidays: { '2026-02-17': 'Spring Festival', '2026-10-01': 'National Day' },
  makeUpWorkdays: { '2026-02-14': 'Spring Festival (调休)' },
  closures: { '2026-10-01': 'Stocktaking', '2026-03-20': 'Stocktaking day' },
};

describe(monthGrid.name, () => {
  it('lays a month out Monday first, in whole weeks', () => {
    // 1 February 2026 is a Sunday: six empty cells before it, 28 days, so five weeks.
    const weeks = monthGrid(YEAR_2026, 2);

    expect(weeks).toHaveLength(5);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(weeks[0].slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(weeks[0][6]).toMatchObject({ date: '2026-02-01', day: 1, kind: 'weekend' });
    expect(weeks.flat().filter(Boolean)).toHaveLength(28);
  });

  it('marks holidays, make-up workdays and closures with their names', () => {
    const days = monthGrid(YEAR_2026, 2).flat();

    expect(days.find((day) => day?.date === '2026-02-17')).toMatchObject({ kind: 'holiday', note: 'Spring Festival' });
    // a Saturday worked (调休) is a make-up workday, not a weekend
    expect(days.find((day) => day?.date === '2026-02-14')).toMatchObject({ kind: 'makeUpWorkday', note: 'Spring Festival (调休)' });
    expect(days.find((day) => day?.date === '2026-02-16')).toMatchObject({ kind: 'workday', note: null });
  });

  it('counts a leap February', () => {
    expect(monthGrid({ ...YEAR_2026, year: 2028 }, 2).flat().filter(Boolean)).toHaveLength(29);
  });
});

describe(dayKind.name, () => {
  it('shows a closure over a holiday on the same day', () => {
    expect(dayKind(YEAR_2026, '2026-10-01', 4)).toEqual({ kind: 'closure', note: 'Stocktaking' });
  });
});
