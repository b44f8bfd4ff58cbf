import { describe, expect, it } from '@jest/globals';
import { AuditTrail } from '#engine';
import { CURRENT_WORKFLOW_VERSION, replayHistory } from '#rectification';
import { createFixtureEngine, FixtureObserver, fixtureOrganisation, workflowFixtures } from '../support/workflow-fixtures.js';

const fixtures = workflowFixtures();
const org = fixtureOrganisation();

/** Every (work state / clock state) pair the 2.2.0 machine can rest in, each stored in some fixture. */
const STATES_OF_2_2_0 = [
  'found/notSet',
  'assigned/onTrack',
  'assigned/dueSoon',
  'assigned/overdue',
  'assigned/escalated',
  'assigned/suspended',
  'rectifying.inProgress/onTrack',
  'rectifying.inProgress/dueSoon',
  'rectifying.inProgress/escalated',
  'rectifying.inProgress/suspended',
  'rectifying.awaitingVerification/verifying',
  'rectifying.awaitingVerification/verificationOverdue',
  'verified/stopped',
  'closed/stopped',
  'cancelled/cancelled',
];

describe('Problems stored by workflow 2.2.0, loaded by today\'s code', () => {
  it('are kept in every state the 2.2.0 machine rests in, each written by that version', () => {
    const stored = new Set(fixtures.map((fixture) => `${fixture.stored.stateDetail}/${fixture.stored.deadlineState}`));
    expect([...stored].sort()).toEqual([...STATES_OF_2_2_0].sort());
    for (const fixture of fixtures) {
      expect(fixture.producedBy.machine).toEqual({ id: 'rectification', version: '2.2.0' });
      expect(fixture.rows.problems.map((row) => row.machine_version)).toEqual(['2.2.0']);
    }
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s: replays to its stored snapshot, then goes on exactly as under 2.2.0, to the end',
    async (_name, fixture) => {
      // given the problem's rows as 2.2.0 stored them, in a fresh database
      const t = await createFixtureEngine(fixture);
      try {
        const [row] = fixture.rows.problems;
        const loaded = (await t.problems.findById(fixture.problemId))!;
        expect({
          stateDetail: loaded.stateDetail,
          deadlineState: loaded.deadlineState,
          escalationLevel: loaded.escalationLevel,
          deadline: loaded.deadline,
          version: loaded.version,
          nextTimer: loaded.nextTimer,
          historyHash: loaded.historyHash,
        }).toEqual({
          stateDetail: row.state_detail,
          deadlineState: row.deadline_state,
          escalationLevel: row.escalation_level,
          deadline: row.deadline,
          version: row.version,
          nextTimer: row.next_timer === null ? null : JSON.parse(String(row.next_timer)),
          historyHash: row.history_hash,
        });
        // its history replays, each row with the machine that wrote it, to the snapshot as loaded (upgraded)
        expect(replayHistory(await t.problems.history(fixture.problemId))).toEqual(loaded.snapshot);
        expect((await t.context.get(AuditTrail).verifyProblem(loaded)).intact).toBe(true);

        // when the continuation recorded under 2.2.0 runs on today's code, every step comes out as it did then
        const observer = new FixtureObserver(t, org, fixture.problemId);
        await observer.markSeen();
        for (const [index, { step, outcome }] of fixture.continuation.entries()) {
          const actual = await observer.run(step);
          expect({ index, step, ...actual }).toEqual({ index, step, ...outcome });
        }

        // then it ends closed (a cancelled one stays cancelled, having refused every event), written by today's version
        const final = await observer.record();
        expect(final.state).toBe(fixture.stored.stateDetail === 'cancelled' ? 'cancelled' : 'closed');
        if (final.state === 'closed') expect(final.machineVersion).toBe(CURRENT_WORKFLOW_VERSION);
        expect(replayHistory(await t.problems.history(fixture.problemId))).toEqual(final.snapshot);
        expect((await t.context.get(AuditTrail).verifyProblem(final)).intact).toBe(true);
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});
