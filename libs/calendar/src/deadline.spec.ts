import { describe, expect, it } from '@jest/globals';
import { addClosure, createCalendar, parseCalendar, reviseCalendar } from './business-calendar.js';
import { CalendarMismatchError } from './calendar.errors.js';
import { chinaCalendar } from './china.calendar.js';
import { computeDeadline, explainDeadline, isComputedWith, recomputeDeadline } from './deadline.js';

const china2026 = chinaCalendar({ years: [2026] });
// Monday 2 March 2026, 09:00 in Beijing
const ASSIGNED_AT = '2026-03-02T01:00:00.000Z';

describe(computeDeadline.name, () => {
  it('stamps the deadline with the calendar id and version it was computed with', () => {
    const deadline = computeDeadline(china2026, ASSIGNED_AT, 3);

    expect(deadline).toEqual({
      calendarId: 'cn-mainland',
      calendarVersion: 1,
      from: ASSIGNED_AT,
      workingDays: 3,
      dueAt: '2026-03-05T10:00:00.000Z',
      provisional: false,
    });
    expect(isComputedWith(deadline, china2026)).toBe(true);
  });

  it('is plain data that survives JSON, as a database column would keep it', () => {
    const deadline = computeDeadline(china2026, new Date(ASSIGNED_AT), 3);

    expect(JSON.parse(JSON.stringify(deadline))).toEqual(deadline);
  });
});

describe('a closure added after a deadline was set', () => {
  it('does not move the stamped deadline; recomputing on purpose does', () => {
    // given a deadline computed with version 1: Tue 3, Wed 4, Thu 5 March
    const deadline = computeDeadline(china2026, ASSIGNED_AT, 3);

    // when the organisation closes on Wednesday 4 March afterwards
    const edited = addClosure(china2026, '2026-03-04', '停电 Power cut');

    // then the deadline already set is untouched and still says which calendar it came from
    expect(edited.version).toBe(2);
    expect(deadline.dueAt).toBe('2026-03-05T10:00:00.000Z');
    expect(deadline.calendarVersion).toBe(1);
    expect(isComputedWith(deadline, edited)).toBe(false);
    // and its explanation still needs version 1, which tells the story that set it
    const counted = explainDeadline(deadline, china2026).counted.map(({ date }) => date);
    expect(counted).toEqual(['2026-03-03', '2026-03-04', '2026-03-05']);
    expect(() => explainDeadline(deadline, edited)).toThrow(CalendarMismatchError);

    // when it is recomputed on purpose
    const recomputed = recomputeDeadline(deadline, edited);

    // then Wednesday is skipped and the stamp moves to version 2
    expect(recomputed).toEqual({ ...deadline, calendarVersion: 2, dueAt: '2026-03-06T10:00:00.000Z' });
    expect(explainDeadline(recomputed, edited).skipped).toContainEqual({
      date: '2026-03-04',
      kind: 'closure',
      name: '停电 Power cut',
    });
  });

  it('a deadline from a calendar read back from JSON is still computed with it', () => {
    const deadline = computeDeadline(china2026, ASSIGNED_AT, 3);

    expect(isComputedWith(deadline, parseCalendar(JSON.stringify(china2026)))).toBe(true);
  });
});

describe(recomputeDeadline.name, () => {
  it('clears the provisional flag once next year is known', () => {
    // given a deadline across the year end while only 2026 is known
    const deadline = computeDeadline(china2026, '2026-12-30T01:00:00.000Z', 5);
    expect(deadline.provisional).toBe(true);

    // when the calendar learns a (hypothetical) 2027 New Year holiday and covers 2027
    const withNextYear = reviseCalendar(china2026, {
      holidays: { ...china2026.holidays, '2027-01-01': '元旦' },
      holidayCoverage: { from: '2026-01-01', to: '2027-12-31' },
    });
    const recomputed = recomputeDeadline(deadline, withNextYear);

    // then 1 January is skipped and the deadline is firm
    expect(recomputed.dueAt).toBe('2027-01-07T10:00:00.000Z');
    expect(recomputed.provisional).toBe(false);
    expect(deadline.dueAt).toBe('2027-01-06T10:00:00.000Z');
  });

  it('refuses another calendar', () => {
    const deadline = computeDeadline(china2026, ASSIGNED_AT, 3);
    const other = createCalendar({ id: 'other', name: 'Other', timeZone: 'Asia/Shanghai' });

    expect(() => recomputeDeadline(deadline, other)).toThrow(CalendarMismatchError);
  });
});
