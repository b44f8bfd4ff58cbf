import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addClosure, createCalendar, type BusinessCalendar } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { addDays } from './local-date.js';
import {
  addWorkingDays,
  endOfWorkingDay,
  explainWorkingDays,
  isWorkingDay,
  nextWorkingDay,
  nthWorkingDayAfter,
  nthWorkingDayBefore,
  startOfWorkingDay,
  whyNotWorking,
  workingDaysBetween,
  type NonWorkingReason,
} from './working-days.js';

// A small made-up calendar, so each rule can be seen on its own. March 2026: Monday 2 … Sunday 8.
const calendar: BusinessCalendar = createCalendar({
  id: 'test',
  name: 'Test calendar',
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '08:30', end: '17:30' },
  holidays: { '2026-03-04': 'Test holiday', '2026-03-14': 'Saturday holiday' },
  makeUpWorkdays: { '2026-03-07': 'Test holiday' },
  closures: { '2026-03-04': 'Also closed', '2026-03-10': 'Power cut', '2026-03-07': 'Closed on the make-up day' },
});

describe(whyNotWorking.name, () => {
  it.each<[string, NonWorkingReason | null, string]>([
    ['2026-03-02', null, 'a plain Monday'],
    ['2026-03-04', { kind: 'holiday', name: 'Test holiday' }, 'a holiday that is also a closure: the holiday'],
    ['2026-03-10', { kind: 'closure', name: 'Power cut' }, 'a closure on a weekday'],
    ['2026-03-07', { kind: 'closure', name: 'Closed on the make-up day' }, 'a closure wins over a make-up day'],
    ['2026-03-08', { kind: 'weekend' }, 'a Sunday'],
    ['2026-03-14', { kind: 'holiday', name: 'Saturday holiday' }, 'a holiday on a Saturday: the holiday'],
  ])('%s -> %j (%s)', (date, reason) => {
    expect(whyNotWorking(calendar, date)).toEqual(reason);
    expect(isWorkingDay(calendar, date)).toBe(reason === null);
  });

  it('works a make-up weekend day', () => {
    const plain = createCalendar({ id: 'c', name: 'C', timeZone: 'UTC', makeUpWorkdays: { '2026-03-07': 'Bridge' } });

    expect(whyNotWorking(plain, '2026-03-07')).toBeNull();
    expect(whyNotWorking(plain, '2026-03-08')).toEqual({ kind: 'weekend' });
  });

  it('follows the weekend the calendar names (Friday and Saturday here)', () => {
    const gulf = createCalendar({ id: 'g', name: 'G', timeZone: 'Asia/Riyadh', weekend: [5, 6] });

    expect(isWorkingDay(gulf, '2026-03-06')).toBe(false); // Friday
    expect(isWorkingDay(gulf, '2026-03-07')).toBe(false); // Saturday
    expect(isWorkingDay(gulf, '2026-03-08')).toBe(true); // Sunday
  });
});

describe(endOfWorkingDay.name, () => {
  it('is close of business in the calendar zone, working day or not', () => {
    expect(endOfWorkingDay(calendar, '2026-03-02').toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(endOfWorkingDay(calendar, '2026-03-08').toISOString()).toBe('2026-03-08T09:30:00.000Z');
    expect(startOfWorkingDay(calendar, '2026-03-02').toISOString()).toBe('2026-03-02T00:30:00.000Z');
  });
});

describe(addWorkingDays.name, () => {
  it('does not count the start day, whatever the hour', () => {
    // given Monday 2 March at 00:05 and at 23:55 in Beijing
    const early = '2026-03-01T16:05:00.000Z';
    const late = '2026-03-02T15:55:00.000Z';

    // then both get Tuesday as their first working day
    expect(addWorkingDays(calendar, early, 1).toISOString()).toBe('2026-03-03T09:30:00.000Z');
    expect(addWorkingDays(calendar, late, 1).toISOString()).toBe('2026-03-03T09:30:00.000Z');
  });

  it('skips holidays, closures and weekends and explains each', () => {
    // given Monday 2 March; when 4 working days are added
    const dueAt = addWorkingDays(calendar, '2026-03-02', 4);
    const explanation = explainWorkingDays(calendar, '2026-03-02', dueAt);

    // then Tue 3, Thu 5, Fri 6, Mon 9 are counted
    expect(dueAt.toISOString()).toBe('2026-03-09T09:30:00.000Z');
    const counted = explanation.counted.map(({ date }) => date);
    expect(counted).toEqual(['2026-03-03', '2026-03-05', '2026-03-06', '2026-03-09']);
    expect(explanation.skipped).toEqual([
      { date: '2026-03-04', kind: 'holiday', name: 'Test holiday' },
      { date: '2026-03-07', kind: 'closure', name: 'Closed on the make-up day' },
      { date: '2026-03-08', kind: 'weekend' },
    ]);
    expect(explanation.workingDays).toBe(4);
    expect(explanation.calendar).toEqual({ calendarId: 'test', calendarVersion: 1 });
  });

  it.each([
    ['a working day: its own close of business', '2026-03-02T02:00:00.000Z', '2026-03-02T09:30:00.000Z'],
    ['a holiday: the next working day', '2026-03-04T02:00:00.000Z', '2026-03-05T09:30:00.000Z'],
    ['a Sunday: Monday', '2026-03-08T02:00:00.000Z', '2026-03-09T09:30:00.000Z'],
  ])('with 0 working days from %s', (_label, from, due) => {
    expect(addWorkingDays(calendar, from, 0).toISOString()).toBe(due);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s working days', (days) => {
    expect(() => addWorkingDays(calendar, '2026-03-02', days)).toThrow(InvalidCalendarError);
  });

  it('refuses a date-time without an offset, which names no instant', () => {
    expect(() => addWorkingDays(calendar, '2026-03-02T09:00:00', 1)).toThrow(InvalidCalendarError);
  });

  it('takes a Date as well as an ISO string, and an offset other than Z', () => {
    const fromDate = addWorkingDays(calendar, new Date('2026-03-02T02:00:00.000Z'), 1);
    const fromOffset = addWorkingDays(calendar, '2026-03-02T10:00:00+08:00', 1);

    expect(fromDate).toEqual(fromOffset);
  });

  it('stops on a calendar with no working day in a year, instead of looping', () => {
    // given every day of a year closed
    let closed = createCalendar({ id: 'closed', name: 'Closed', timeZone: 'UTC', weekend: [6, 7] });
    const closures: Record<string, string> = {};
    for (let day = '2026-03-01'; day <= '2027-04-01'; day = addDays(day, 1)) closures[day] = 'Closed';
    closed = createCalendar({ ...closed, closures });

    expect(() => nextWorkingDay(closed, '2026-03-01')).toThrow('no working day');
  });
});

describe(workingDaysBetween.name, () => {
  it('counts working days after the first date up to and including the second', () => {
    expect(workingDaysBetween(calendar, '2026-03-02', '2026-03-02')).toBe(0);
    expect(workingDaysBetween(calendar, '2026-03-02', '2026-03-03')).toBe(1);
    expect(workingDaysBetween(calendar, '2026-03-02', '2026-03-09')).toBe(4);
  });

  it('is negative when the second date is earlier', () => {
    expect(workingDaysBetween(calendar, '2026-03-09', '2026-03-02')).toBe(-4);
  });

  it('reads instants as local dates in the calendar zone', () => {
    // 2026-03-02T16:30Z is 00:30 on Tuesday 3 March in Beijing
    expect(workingDaysBetween(calendar, '2026-03-02T01:00:00.000Z', '2026-03-02T16:30:00.000Z')).toBe(1);
  });

  it('undoes addWorkingDays for any start and any count', () => {
    const china = createCalendar({ ...calendar, id: 'p', closures: {} });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-06-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 60 }),
        (from, days) => {
          const dueAt = addWorkingDays(china, from, days);

          expect(workingDaysBetween(china, from, dueAt)).toBe(days);
          expect(dueAt.getTime()).toBeGreaterThan(from.getTime());
          expect(isWorkingDay(china, explainWorkingDays(china, from, dueAt).to)).toBe(true);
        },
      ),
    );
  });
});

describe(explainWorkingDays.name, () => {
  it('tells a closure added later apart from the days it displaced', () => {
    // given a closure on the Thursday
    const edited = addClosure(calendar, '2026-03-05', 'Inspection visit');

    // when the same range is explained
    const explanation = explainWorkingDays(edited, '2026-03-02', '2026-03-06');

    // then
    expect(explanation.counted).toEqual([
      { date: '2026-03-03', ordinal: 1 },
      { date: '2026-03-06', ordinal: 2 },
    ]);
    expect(explanation.skipped).toContainEqual({ date: '2026-03-05', kind: 'closure', name: 'Inspection visit' });
    expect(explanation.calendar).toEqual({ calendarId: 'test', calendarVersion: 2 });
  });

  it('marks the make-up days it counts', () => {
    const plain = createCalendar({ id: 'c', name: 'C', timeZone: 'UTC', makeUpWorkdays: { '2026-03-07': 'Bridge' } });

    expect(explainWorkingDays(plain, '2026-03-06', '2026-03-09').counted).toEqual([
      { date: '2026-03-07', ordinal: 1, makeUpFor: 'Bridge' },
      { date: '2026-03-09', ordinal: 2 },
    ]);
  });

  it('lists no days outside holiday coverage for a calendar that does not track holidays', () => {
    expect(explainWorkingDays(calendar, '2020-01-01', '2030-01-01').outsideHolidayCoverage).toEqual([]);
  });
});

describe(nthWorkingDayBefore.name, () => {
  it('steps back over weekends, holidays and closures', () => {
    // Mon 2026-03-09: the working day before is Fri 03-06 (Sat 07 is a make-up day but closed, 04 a holiday)
    expect(nthWorkingDayBefore(calendar, '2026-03-09', 1)).toBe('2026-03-06');
    expect(nthWorkingDayBefore(calendar, '2026-03-09', 2)).toBe('2026-03-05');
    expect(nthWorkingDayBefore(calendar, '2026-03-09', 3)).toBe('2026-03-03');
  });

  it('undoes nthWorkingDayAfter on working days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 20 }), (offset, n) => {
        const start = nthWorkingDayAfter(calendar, addDays('2026-03-01', offset), 0);
        expect(nthWorkingDayBefore(calendar, nthWorkingDayAfter(calendar, start, n), n)).toBe(start);
      }),
    );
  });

  it('refuses zero or negative counts', () => {
    expect(() => nthWorkingDayBefore(calendar, '2026-03-09', 0)).toThrow(InvalidCalendarError);
  });
});
