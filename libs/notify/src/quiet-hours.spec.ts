import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addClosure, chinaCalendar, localDateAt, startOfWorkingDay } from '#calendar';
import { isWithinWorkingHours, nextWorkingInstant } from './quiet-hours.js';

// The State Council's 2026 schedule as the installed chinese-days carries it: National Day 10-01…10-07,
// worked on Sunday 09-20 and Saturday 10-10 (调休上班). Working hours are the default 09:00–18:00, Asia/Shanghai.
const china = chinaCalendar({ years: [2026] });
const beijing = (localDateTime: string): Date => new Date(`${localDateTime}+08:00`);

describe(nextWorkingInstant.name, () => {
  it.each<[string, string, string]>([
    ['2026-03-20T23:00:00', '2026-03-23T09:00:00', 'Friday 23:00 waits for Monday morning'],
    ['2026-03-21T10:00:00', '2026-03-23T09:00:00', 'a plain Saturday waits for Monday'],
    ['2026-03-23T07:15:00', '2026-03-23T09:00:00', 'early on a working day: the start of that day'],
    ['2026-03-23T18:00:00', '2026-03-24T09:00:00', 'exactly 18:00 is after hours (the end is exclusive)'],
    ['2026-09-30T19:00:00', '2026-10-08T09:00:00', 'the eve of National Day waits for the week after it'],
    ['2026-10-03T12:00:00', '2026-10-08T09:00:00', 'inside the National Day holiday'],
    ['2026-10-09T18:30:00', '2026-10-10T09:00:00', 'Friday evening before the make-up Saturday 10-10'],
    ['2026-09-19T10:00:00', '2026-09-20T09:00:00', 'a plain Saturday before the make-up Sunday 09-20'],
    ['2026-09-20T08:00:00', '2026-09-20T09:00:00', 'early on the make-up Sunday'],
  ])('%s -> %s (%s)', (at, expected) => {
    // when
    const next = nextWorkingInstant(china, beijing(at));
    // then
    expect(next.toISOString()).toBe(beijing(expected).toISOString());
  });

  it('leaves an instant inside working hours as it is, to the millisecond', () => {
    // given
    const during = beijing('2026-03-23T17:59:59.999');
    // when
    const next = nextWorkingInstant(china, during);
    // then
    expect(next.getTime()).toBe(during.getTime());
    expect(next).not.toBe(during);
  });

  it("skips the organisation's own closures", () => {
    // given Monday 2026-03-23 closed
    const closed = addClosure(china, '2026-03-23', 'Office move');
    // when / then
    expect(nextWorkingInstant(closed, beijing('2026-03-20T23:00:00')).toISOString()).toBe(
      beijing('2026-03-24T09:00:00').toISOString(),
    );
  });

  it('is never earlier than asked, always inside working hours, and the start of a day when it moves', () => {
    const start = Date.parse('2026-01-01T00:00:00+08:00');
    const end = Date.parse('2026-12-20T00:00:00+08:00');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), (ms) => {
        const at = new Date(ms);
        const next = nextWorkingInstant(china, at);
        expect(next.getTime()).toBeGreaterThanOrEqual(ms);
        expect(isWithinWorkingHours(china, next)).toBe(true);
        if (isWithinWorkingHours(china, at)) expect(next.getTime()).toBe(ms);
        else expect(next.getTime()).toBe(startOfWorkingDay(china, localDateAt(next, china.timeZone)).getTime());
        // Idempotent: a held message re-planned at its release time goes then.
        expect(nextWorkingInstant(china, next).getTime()).toBe(next.getTime());
      }),
      { numRuns: 500 },
    );
  });
});

describe(isWithinWorkingHours.name, () => {
  it.each<[string, boolean, string]>([
    ['2026-03-23T09:00:00', true, 'the first minute of a working day'],
    ['2026-03-23T17:59:59', true, 'the last second before close'],
    ['2026-03-23T18:00:00', false, 'close of business itself'],
    ['2026-03-23T08:59:59', false, 'just before opening'],
    ['2026-03-21T11:00:00', false, 'a Saturday'],
    ['2026-10-01T11:00:00', false, 'National Day'],
    ['2026-10-10T11:00:00', true, 'the make-up Saturday'],
  ])('%s -> %s (%s)', (at, expected) => {
    expect(isWithinWorkingHours(china, beijing(at))).toBe(expected);
  });
});
