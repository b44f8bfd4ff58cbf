import { describe, expect, it } from '@jest/globals';
import { InvalidCalendarError } from './calendar.errors.js';
import { instantAt, isValidTimeZone, localDateAt, toDate, toLocalDate } from './zoned-time.js';

describe(localDateAt.name, () => {
  it.each([
    ['2026-03-01T17:30:00.000Z', 'Asia/Shanghai', '2026-03-02'],
    ['2026-03-01T17:30:00.000Z', 'UTC', '2026-03-01'],
    ['2026-03-01T17:30:00.000Z', 'America/New_York', '2026-03-01'],
    ['2026-12-31T16:00:00.000Z', 'Asia/Shanghai', '2027-01-01'],
    ['2026-12-31T15:59:59.999Z', 'Asia/Shanghai', '2026-12-31'],
    ['2027-01-01T04:59:59.000Z', 'America/New_York', '2026-12-31'],
    ['2026-03-01T10:30:00.000Z', 'Pacific/Kiritimati', '2026-03-02'],
  ])('%s in %s is %s', (at, zone, date) => {
    expect(localDateAt(at, zone)).toBe(date);
  });
});

describe(instantAt.name, () => {
  it('follows daylight saving: 18:00 in Berlin is 17:00Z before 29 March 2026 and 16:00Z after', () => {
    expect(instantAt('2026-03-27', '18:00', 'Europe/Berlin').toISOString()).toBe('2026-03-27T17:00:00.000Z');
    expect(instantAt('2026-03-30', '18:00', 'Europe/Berlin').toISOString()).toBe('2026-03-30T16:00:00.000Z');
  });

  it('moves a wall-clock time skipped by the spring jump forward by the jump', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: clocks go from 02:00 to 03:00
    expect(instantAt('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of a wall-clock time that the autumn change repeats', () => {
    // 02:30 happens twice in Berlin on 25 October 2026: first at +02:00
    expect(instantAt('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe(toDate.name, () => {
  it.each(['2026-03-02T09:00:00', '2026-03-02 09:00', 'tomorrow', '2026-03-02'])('refuses "%s": no instant', (text) => {
    expect(() => toDate(text)).toThrow(InvalidCalendarError);
  });

  it('refuses an invalid Date', () => {
    expect(() => toDate(new Date('nonsense'))).toThrow(InvalidCalendarError);
  });

  it('accepts Z and numeric offsets', () => {
    expect(toDate('2026-03-02T09:00:00+08:00').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(toDate('2026-03-02T01:00:00Z').toISOString()).toBe('2026-03-02T01:00:00.000Z');
  });
});

describe(toLocalDate.name, () => {
  it('takes a YYYY-MM-DD date as it is, and reads an instant in the zone', () => {
    expect(toLocalDate('2026-03-01', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(toLocalDate('2026-03-01T17:30:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
  });
});

describe(isValidTimeZone.name, () => {
  it.each([
    ['Asia/Shanghai', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Asia/Beijing', false],
    ['Nowhere/Special', false],
  ])('%s -> %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});
