import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonRoundTrip, runWalk, walk, walkEndMs } from '../../test/support/workflow-walks.js';
import { replayHistory, type ReplayableEntry } from './replay.js';
import { CURRENT_WORKFLOW_VERSION, upgradeSnapshot, WorkflowVersionError } from './workflow-versions.js';

/** The rows as the database gives them back: JSON, and each naming its version. */
const stored = (entries: ReplayableEntry[]) => jsonRoundTrip(entries);

describe(replayHistory.name, () => {
  it.each(['1.0.0', '2.1.0', '2.2.0'])('replays a history written under %s to its stored snapshot, upgraded', (version) => {
    fc.assert(
      fc.property(walk, (w) => {
        // given a problem whose every row was written under an old version
        const { final, entries } = runWalk(w, version);

        // when its history is replayed today
        const replayed = replayHistory(stored(entries));

        // then it is the stored snapshot as loading brings it to the current version
        expect(replayed).toEqual(upgradeSnapshot(jsonRoundTrip(final), version));
      }),
      { numRuns: 150 },
    );
  });

  it('replays a history begun under 2.2.0 and continued under the current version after the upgrade on load', () => {
    fc.assert(
      fc.property(walk, walk, (before, after) => {
        // given a problem driven under 2.2.0, loaded (upgraded) and driven on by today's engine
        const old = runWalk(before, '2.2.0');
        const loaded = upgradeSnapshot(jsonRoundTrip(old.final), '2.2.0');
        const today = runWalk(after, CURRENT_WORKFLOW_VERSION, { snapshot: loaded, atMs: walkEndMs(before) });

        // when the whole history is replayed
        const replayed = replayHistory(stored([...old.entries, ...today.entries]));

        // then
        expect(replayed).toEqual(today.final);
      }),
      { numRuns: 150 },
    );
  });

  it('takes rows that name no version as written by the current one', () => {
    fc.assert(
      fc.property(walk, (w) => {
        const { final, entries } = runWalk(w, CURRENT_WORKFLOW_VERSION);
        const unversioned = entries.map(({ machineVersion: _version, ...entry }) => entry);

        expect(replayHistory(stored(unversioned))).toEqual(final);
      }),
      { numRuns: 50 },
    );
  });

  it('replays a row with its own version: a 2.2.0 RECOUNT_DEADLINE is refused under 1.0.0', () => {
    // given a history whose recount is claimed for a version that had no recount
    const w = {
      problemId: 'p-1',
      severity: 'minor' as const,
      filedAtMs: Date.parse('2026-03-02T01:00:00.000Z'),
      deadline: '2026-04-01T00:00:00.000Z',
      steps: [
        { event: { type: 'ASSIGN' as const, departmentId: 'dept-a' }, gapMs: 1000 },
        { event: { type: 'RECOUNT_DEADLINE' as const, reason: 'calendar changed', deadline: '2026-04-02T00:00:00.000Z' }, gapMs: 1000 },
      ],
    };
    const { entries } = runWalk(w, '2.2.0');
    expect(entries.map((entry) => entry.eventType)).toEqual(['FILE', 'ASSIGN', 'RECOUNT_DEADLINE']);

    // then it replays under 2.2.0, and not when its rows say 1.0.0
    expect(() => replayHistory(entries)).not.toThrow();
    expect(() => replayHistory(entries.map((entry) => ({ ...entry, machineVersion: '1.0.0' })))).toThrow(
      'History entry RECOUNT_DEADLINE is not accepted in replay (workflow version 1.0.0)',
    );
  });

  it('refuses a history whose rows go back to an older version, or name one it does not know', () => {
    const { entries } = runWalk(
      { problemId: 'p-1', severity: 'minor', filedAtMs: 0, deadline: undefined, steps: [{ event: { type: 'ASSIGN', departmentId: 'dept-a' }, gapMs: 1 }] },
      '2.2.0',
    );
    const [filing, assign] = entries;

    expect(() => replayHistory([{ ...filing, machineVersion: CURRENT_WORKFLOW_VERSION }, assign])).toThrow('cannot be taken back to 2.2.0');
    expect(() => replayHistory([{ ...filing, machineVersion: '2.0.0' }, assign])).toThrow(WorkflowVersionError);
    expect(() => replayHistory([filing, { ...assign, machineVersion: '9.0.0' }])).toThrow(/9\.0\.0 is newer than this code/);
  });
});
