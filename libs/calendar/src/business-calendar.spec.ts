import { describe, expect, it } from '@jest/globals';
import {
  addClosure,
  addClosures,
  createCalendar,
  parseCalendar,
  removeClosure,
  reviseCalendar,
  stampOf,
  type CalendarInput,
} from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { chinaCalendar } from './china.calendar.js';
import { addWorkingDays, explainWorkingDays } from './working-days.js';

const minimal: CalendarInput = { id: 'office', name: 'Head office', timeZone: 'Europe/Berlin' };

describe(createCalendar.name, () => {
  it('fills the defaults: version 1, Saturday and Sunday off, 09:00–18:00', () => {
    const calendar = createCalendar(minimal);

    expect(calendar).toEqual({
      id: 'office',
      version: 1,
      name: 'Head office',
      timeZone: 'Europe/Berlin',
      weekend: [6, 7],
      workingHours: { start: '09:00', end: '18:00' },
      holidays: {},
      makeUpWorkdays: {},
      closures: {},
      holidayCoverage: null,
      source: null,
    });
  });

  it('is frozen, so it can only change through an edit that bumps the version', () => {
    const calendar = createCalendar({ ...minimal, closures: { '2026-03-02': 'Move' } });

    expect(Object.isFrozen(calendar)).toBe(true);
    expect(Object.isFrozen(calendar.closures)).toBe(true);
    expect(Object.isFrozen(calendar.weekend)).toBe(true);
    expect(() => {
      (calendar.closures as Record<string, string>)['2026-03-03'] = 'Sneaky';
    }).toThrow(TypeError);
  });

  it.each<[string, Partial<CalendarInput> & Record<string, unknown>]>([
    ['an unknown time zone', { timeZone: 'China/Beijing' }],
    ['a fixed offset instead of a zone', { timeZone: '+08:00' }],
    ['an empty id', { id: ' ' }],
    ['version 0', { version: 0 }],
    ['weekday 0', { weekend: [0, 6] }],
    ['a repeated weekday', { weekend: [6, 6] }],
    ['every day a weekend', { weekend: [1, 2, 3, 4, 5, 6, 7] }],
    ['hours the wrong way round', { workingHours: { start: '18:00', end: '09:00' } }],
    ['hours not HH:MM', { workingHours: { start: '9:00', end: '18:00' } }],
    ['24:00 as an end', { workingHours: { start: '09:00', end: '24:00' } }],
    ['a date that does not exist', { holidays: { '2026-02-29': 'Leap day' } }],
    ['a date in another format', { closures: { '2026/03/02': 'Move' } }],
    ['a nameless closure', { closures: { '2026-03-02': '' } }],
    ['a day both holiday and make-up day', { holidays: { '2026-03-07': 'A' }, makeUpWorkdays: { '2026-03-07': 'A' } }],
    ['coverage ending before it starts', { holidayCoverage: { from: '2026-12-31', to: '2026-01-01' } }],
  ])('refuses %s', (_label, change) => {
    expect(() => createCalendar({ ...minimal, ...change } as CalendarInput)).toThrow(InvalidCalendarError);
  });

  it('says which field is wrong, with the stable validation code', () => {
    let caught: unknown;
    try {
      createCalendar({ ...minimal, timeZone: 'Mars/Olympus' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidCalendarError);
    expect((caught as InvalidCalendarError).code).toBe('VALIDATION_FAILED');
    expect((caught as InvalidCalendarError).details).toMatchObject({ field: 'timeZone' });
    expect((caught as Error).message).toContain('Mars/Olympus');
  });
});

describe(parseCalendar.name, () => {
  it('round-trips a calendar through JSON unchanged, with the same answers', () => {
    // given a national calendar with an organisation closure
    const calendar = addClosure(chinaCalendar({ years: [2026] }), '2026-03-04', '消防演练 Fire drill');

    // when it is stored as JSON and read back
    const json = JSON.stringify(calendar);
    const restored = parseCalendar(JSON.parse(json));

    // then it is equal, serialises identically, and computes the same deadlines
    expect(restored).toEqual(calendar);
    expect(JSON.stringify(restored)).toBe(json);
    expect(parseCalendar(json)).toEqual(calendar);
    const at = '2026-02-13T02:00:00.000Z';
    expect(addWorkingDays(restored, at, 5)).toEqual(addWorkingDays(calendar, at, 5));
    expect(explainWorkingDays(restored, at, '2026-03-06')).toEqual(explainWorkingDays(calendar, at, '2026-03-06'));
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a calendar without its holidays', { ...createCalendar(minimal), holidays: undefined }],
    ['a calendar with a string version', { ...createCalendar(minimal), version: '2' }],
  ])('refuses %s', (_label, json) => {
    expect(() => parseCalendar(json)).toThrow(InvalidCalendarError);
  });
});

describe(reviseCalendar.name, () => {
  it('returns a new calendar with the next version and leaves the old one as it was', () => {
    const v1 = createCalendar(minimal);

    const v2 = reviseCalendar(v1, { workingHours: { start: '08:00', end: '17:00' } });

    expect(v2.version).toBe(2);
    expect(v2.workingHours).toEqual({ start: '08:00', end: '17:00' });
    expect(v1.version).toBe(1);
    expect(v1.workingHours).toEqual({ start: '09:00', end: '18:00' });
    expect(stampOf(v2)).toEqual({ calendarId: 'office', calendarVersion: 2 });
  });

  it('keeps the version when nothing changes', () => {
    const v1 = createCalendar({ ...minimal, closures: { '2026-03-02': 'Move' } });

    expect(reviseCalendar(v1, {})).toBe(v1);
    expect(addClosure(v1, '2026-03-02', 'Move')).toBe(v1);
  });

  it('never changes the id', () => {
    const v1 = createCalendar(minimal);

    expect(reviseCalendar(v1, { id: 'other' } as never).id).toBe('office');
  });
});

describe(addClosure.name, () => {
  it('adds, renames and removes closures, one version each', () => {
    const v1 = createCalendar(minimal);

    const v2 = addClosure(v1, '2026-03-02', 'Move');
    const v3 = addClosures(v2, { '2026-03-02': 'Office move', '2026-03-03': 'Office move' });
    const v4 = removeClosure(v3, '2026-03-02');

    expect([v2.version, v3.version, v4.version]).toEqual([2, 3, 4]);
    expect(v2.closures).toEqual({ '2026-03-02': 'Move' });
    expect(v3.closures).toEqual({ '2026-03-02': 'Office move', '2026-03-03': 'Office move' });
    expect(v4.closures).toEqual({ '2026-03-03': 'Office move' });
    expect(removeClosure(v4, '2026-12-25')).toBe(v4);
  });

  it('refuses a malformed date', () => {
    expect(() => addClosure(createCalendar(minimal), '2026-3-2', 'Move')).toThrow(InvalidCalendarError);
  });
});
