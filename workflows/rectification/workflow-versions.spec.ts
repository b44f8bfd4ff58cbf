import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { filingOf, jsonRoundTrip, runWalk, walk } from '../../test/support/workflow-walks.js';
import type { DeadlineBasis, RectificationEvent } from './rectification.events.js';
import { RECTIFICATION_MACHINE_VERSION } from './rectification.machine.js';
import { startRectification, stateDetail } from './rectification.workflow.js';
import { REPLAYABLE_VERSIONS, replayMachineFor } from './replay.js';
import {
  CURRENT_WORKFLOW_VERSION,
  UPGRADE_STEPS,
  upgradeSnapshot,
  upgradeSnapshotTo,
  type VersionedSnapshot,
  WORKFLOW_VERSIONS,
  WorkflowVersionError,
} from './workflow-versions.js';

const step = (from: string) => UPGRADE_STEPS.find((candidate) => candidate.from === from)!;

/** Which explicit deadline basis, without when it was set (1.0.0 did not record it). */
function withoutSetAt(snapshot: VersionedSnapshot): VersionedSnapshot {
  const context = snapshot.context as { deadlineBasis: DeadlineBasis | null };
  return { ...snapshot, context: { ...context, deadlineBasis: context.deadlineBasis === null ? null : { kind: context.deadlineBasis.kind } } };
}

/** A real 2.2.0 snapshot in the middle of things: assigned with a deadline, an extension granted, a suspension over. */
function aV2Snapshot(): VersionedSnapshot {
  const v2 = replayMachineFor('2.2.0');
  let snapshot = v2.start({ problemId: 'p-1', severity: 'major', filedBy: 'inspector-1', filedAt: '2026-03-02T01:00:00.000Z' });
  const events = [
    { type: 'ASSIGN', departmentId: 'dept-a', deadline: '2026-04-01T00:00:00.000Z' },
    { type: 'START', measures: 'replace the railing', responsiblePerson: 'Li', plannedCompletionDate: '2026-03-20' },
    { type: 'DEADLINE_REMINDER', scheduledFor: '2026-03-27T00:00:00.000Z', workingDaysBefore: 3 },
    { type: 'REQUEST_EXTENSION', reason: 'back-order', proposedDeadline: '2026-05-01T00:00:00.000Z' },
    { type: 'APPROVE_EXTENSION', comment: 'agreed' },
    { type: 'REQUEST_SUSPENSION', reason: 'landlord' },
    { type: 'APPROVE_SUSPENSION' },
    { type: 'RESUME', suspendedWorkingDays: 2, deadline: '2026-05-05T00:00:00.000Z' },
  ];
  events.forEach((event, index) => {
    const stamped = { ...event, at: `2026-03-${String(10 + index).padStart(2, '0')}T00:00:00.000Z`, actorId: 'actor-1' } as RectificationEvent;
    snapshot = v2.apply(snapshot, stamped) ?? notAccepted(`${event.type} not accepted`);
  });
  return snapshot;
}

function notAccepted(message: string): never {
  throw new Error(message);
}

describe('workflow versions', () => {
  describe('the chain', () => {
    it('runs from the oldest stored version to the machine of today, each step starting where the last ended', () => {
      expect(UPGRADE_STEPS.map((s) => `${s.from}→${s.to}`)).toEqual(['1.0.0→2.1.0', '2.1.0→2.2.0', '2.2.0→3.0.0']);
      UPGRADE_STEPS.slice(1).forEach((s, index) => expect(s.from).toBe(UPGRADE_STEPS[index].to));
      // a machine bumped without its upgrade step fails here
      expect(UPGRADE_STEPS.at(-1)!.to).toBe(RECTIFICATION_MACHINE_VERSION);
      expect(CURRENT_WORKFLOW_VERSION).toBe(RECTIFICATION_MACHINE_VERSION);
    });

    it('has a machine to replay the rows of every version it knows', () => {
      expect([...REPLAYABLE_VERSIONS].sort()).toEqual([...WORKFLOW_VERSIONS].sort());
    });
  });

  describe('1.0.0 → 2.1.0', () => {
    it('gives a 1.0.0 snapshot the deadline region and bookkeeping the 2.x machine reaches on the same events', () => {
      fc.assert(
        fc.property(walk, (w) => {
          // given a problem driven under 1.0.0, and the same accepted events played to the 2.x machine
          const old = runWalk(w, '1.0.0');
          const v2 = replayMachineFor('2.2.0');
          let expected = v2.start(filingOf(w).input);
          for (const { payload, eventType } of old.entries.slice(1)) {
            // a 1.0.0 REOPEN carried no deadline (the walk's is one 1.0.0 ignored)
            const { deadline: _ignored, ...reopen } = payload;
            const event = (eventType === 'REOPEN' ? reopen : payload) as unknown as RectificationEvent;
            expected = v2.apply(expected, event) ?? notAccepted(`2.x refuses ${eventType}`);
          }

          // when the stored 1.0.0 snapshot is upgraded
          const upgraded = step('1.0.0').upgrade(jsonRoundTrip(old.final));

          // then it is what 2.x would have stored, but for when an explicit deadline was set (1.0.0 kept no record)
          expect(withoutSetAt(upgraded)).toEqual(withoutSetAt(expected));
          expect(upgraded.value).toEqual({ rectification: old.final.value, deadline: (expected.value as { deadline: string }).deadline });
        }),
        { numRuns: 300 },
      );
    });

    it('reaches every 1.0.0 state, so the property above means something', () => {
      const reached = new Set(fc.sample(walk, { numRuns: 300, seed: 7 }).flatMap((w) => runWalk(w, '1.0.0').snapshots.map((s) => stateDetail(s.value))));
      expect([...reached].sort()).toEqual(['assigned', 'cancelled', 'closed', 'found', 'rectifying.awaitingVerification', 'rectifying.inProgress', 'verified']);
    });

    it('records a 1.0.0 deadline as explicit, set no later than the filing', () => {
      const filed = replayMachineFor('1.0.0').start({ problemId: 'p', severity: 'minor', filedBy: 'i', filedAt: '2026-01-05T00:00:00.000Z', deadline: '2026-02-01T00:00:00.000Z' });

      const upgraded = step('1.0.0').upgrade(filed).context;

      expect(upgraded).toMatchObject({ deadlineBasis: { kind: 'explicit', setAt: '2026-01-05T00:00:00.000Z' }, originalDeadline: '2026-02-01T00:00:00.000Z' });
    });
  });

  describe('2.1.0 → 2.2.0', () => {
    it('changes nothing stored (2.2.0 only accepts one more event)', () => {
      const snapshot = aV2Snapshot();
      expect(step('2.1.0').upgrade(snapshot)).toBe(snapshot);
    });
  });

  describe('2.2.0 → 3.0.0', () => {
    it('keeps a complete 2.2.0 snapshot as it is, with every field of a fresh 3.0.0 context and no other', () => {
      fc.assert(
        fc.property(walk, (w) => {
          for (const snapshot of runWalk(w, '2.2.0').snapshots) {
            const upgraded = step('2.2.0').upgrade(jsonRoundTrip(snapshot));

            expect(upgraded).toEqual(snapshot);
            expect(Object.keys(upgraded.context).sort()).toEqual(Object.keys(startRectification(filingOf(w).input).context).sort());
          }
        }),
        { numRuns: 100 },
      );
    });

    it.each([
      ['extensions', []],
      ['suspensions', []],
      ['pendingRequest', null],
      ['deadlineBasis', { kind: 'explicit', setAt: '2026-03-02T01:00:00.000Z' }],
      ['remindersSent', 0],
      ['overdueSince', null],
      ['escalationLevel', 0],
      ['verificationOverdueSince', null],
      ['plan', null],
      ['latestProgress', null],
      ['submission', null],
      ['reworkCount', 0],
      ['reopenCount', 0],
      ['closedAt', null],
      ['responsiblePerson', null],
      ['departmentId', null],
    ] as const)('fills a missing %s with what a fresh problem has', (field, fresh) => {
      // given a stored 2.x context without the field
      const { [field]: _dropped, ...context } = aV2Snapshot().context as Record<string, unknown>;

      // when
      const upgraded = step('2.2.0').upgrade({ value: aV2Snapshot().value, context }).context as Record<string, unknown>;

      // then
      expect(upgraded[field]).toEqual(fresh);
    });

    it('derives the extension count and the first deadline from the extensions granted', () => {
      const snapshot = aV2Snapshot();
      const { extensionCount: _count, originalDeadline: _original, ...context } = snapshot.context as Record<string, unknown>;

      const upgraded = step('2.2.0').upgrade({ value: snapshot.value, context }).context;

      expect(upgraded).toMatchObject({ extensionCount: 1, originalDeadline: '2026-04-01T00:00:00.000Z' });
      expect(step('2.2.0').upgrade({ value: snapshot.value, context: { ...context, extensions: [] } }).context).toMatchObject({
        extensionCount: 0,
        originalDeadline: '2026-05-05T00:00:00.000Z',
      });
    });

    it('an upgraded 2.2.0 snapshot goes on exactly as it would have under 2.2.0', () => {
      fc.assert(
        fc.property(walk, walk, (first, rest) => {
          // given a problem stored by 2.2.0 part-way through, then the same further events under each machine
          const stored = runWalk(first, '2.2.0').final;
          const continued = { snapshot: jsonRoundTrip(stored), atMs: Date.parse('2036-01-01T00:00:00.000Z') };
          const underOld = runWalk(rest, '2.2.0', continued);
          const underNew = runWalk(rest, CURRENT_WORKFLOW_VERSION, { ...continued, snapshot: upgradeSnapshot(continued.snapshot, '2.2.0') });

          // then the same events are accepted, with the same results
          expect(underNew.entries).toEqual(underOld.entries.map((entry) => ({ ...entry, machineVersion: CURRENT_WORKFLOW_VERSION })));
          expect(underNew.final).toEqual(upgradeSnapshot(underOld.final, '2.2.0'));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe(upgradeSnapshot.name, () => {
    it('answers a current snapshot as it is', () => {
      const snapshot = startRectification({ problemId: 'p', severity: 'minor', filedBy: 'i', filedAt: '2026-01-05T00:00:00.000Z' });
      expect(upgradeSnapshot(snapshot, CURRENT_WORKFLOW_VERSION)).toBe(snapshot);
    });

    it('applies every step from the stored version on', () => {
      const filed = replayMachineFor('1.0.0').start({ problemId: 'p', severity: 'minor', filedBy: 'i', filedAt: '2026-01-05T00:00:00.000Z' });

      expect(upgradeSnapshot(filed, '1.0.0')).toEqual(startRectification({ problemId: 'p', severity: 'minor', filedBy: 'i', filedAt: '2026-01-05T00:00:00.000Z' }));
      expect(upgradeSnapshot(aV2Snapshot(), '2.1.0')).toEqual(upgradeSnapshot(aV2Snapshot(), '2.2.0'));
    });

    it.each(['2.0.0', '1', '', 'latest', '3.0'])('refuses the unknown version %j', (version) => {
      expect(() => upgradeSnapshot(aV2Snapshot(), version)).toThrow(WorkflowVersionError);
      expect(() => upgradeSnapshot(aV2Snapshot(), version)).toThrow(/is unknown \(known: 1\.0\.0, 2\.1\.0, 2\.2\.0, 3\.0\.0\)/);
    });

    it.each(['3.0.1', '3.1.0', '4.0.0', '10.0.0'])('refuses %s, newer than this code', (version) => {
      expect(() => upgradeSnapshot(aV2Snapshot(), version)).toThrow(/newer than this code's 3\.0\.0/);
    });

    it('never takes a snapshot back to an older version', () => {
      expect(() => upgradeSnapshotTo(aV2Snapshot(), '3.0.0', '2.2.0')).toThrow('cannot be taken back to 2.2.0');
    });
  });
});
