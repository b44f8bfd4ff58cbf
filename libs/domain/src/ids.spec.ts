import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { newId, UUID_PATTERN } from './ids.js';

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe(newId.name, () => {
  it('is a UUID version 7 with the RFC 9562 variant', () => {
    const id = newId();

    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(id[19]).toMatch(/^[89ab]$/);
    expect(id).toBe(id.toLowerCase());
  });

  it('carries the current time when none is given', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();

    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after);
  });

  it('encodes any 48-bit timestamp exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (at) => {
        const id = newId(at);

        expect(id).toMatch(UUID_PATTERN);
        expect(id[14]).toBe('7');
        expect(timestampOf(id)).toBe(at);
      }),
    );
  });

  it('sorts by the timestamp given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { minLength: 2, maxLength: 50 }), (times) => {
        // given ids made in arbitrary order
        const ids = times.map((at) => ({ at, id: newId(at) }));

        // when sorted as plain text, as a database index would
        const byText = [...ids].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ at }) => at);

        // then they are in time order
        expect(byText).toEqual([...times].sort((a, b) => a - b));
      }),
    );
  });

  it('is unique within one millisecond', () => {
    const at = Date.parse('2026-03-02T01:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newId(at));

    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => timestampOf(id) === at)).toBe(true);
  });

  it('strictly increases within one millisecond, so id order is creation order', () => {
    // given ids made one after another in the same millisecond
    const at = Date.parse('2026-03-02T01:00:00.001Z');
    const ids = Array.from({ length: 500 }, () => newId(at));

    // then their text order is the order they were made in
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('UUID_PATTERN', () => {
  it.each([
    ['0190f5e2-8c3a-7b1d-9e4f-0123456789ab', true],
    ['0190F5E2-8C3A-7B1D-9E4F-0123456789AB', true],
    ['0190f5e28c3a7b1d9e4f0123456789ab', false],
    ['0190f5e2-8c3a-7b1d-9e4f-0123456789a', false],
    ['0190f5e2-8c3a-7b1d-9e4f-0123456789abc', false],
    ['g190f5e2-8c3a-7b1d-9e4f-0123456789ab', false],
    ['', false],
  ])('%s -> %s', (text, matches) => {
    expect(UUID_PATTERN.test(text)).toBe(matches);
  });
});
