import { describe, expect, it } from '@jest/globals';
import { normalisedPlace, raisedSeverity } from './repeat.policy.js';

describe(raisedSeverity.name, () => {
  it.each([
    ['minor', 'general'],
    ['general', 'major'],
    ['major', 'critical'],
    ['critical', 'critical'],
  ] as const)('%s → %s', (from, to) => {
    expect(raisedSeverity(from)).toBe(to);
  });
});

describe(normalisedPlace.name, () => {
  it('ignores case, surrounding and repeated spaces, but not the words', () => {
    expect(normalisedPlace('  Warehouse 3,   East Exit ')).toBe(normalisedPlace('warehouse 3, east exit'));
    expect(normalisedPlace('Warehouse 3')).not.toBe(normalisedPlace('Warehouse 4'));
  });
});
