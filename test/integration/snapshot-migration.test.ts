import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { runMigrateSnapshots, snapshotBatchSize } from '../../apps/cli/src/migrate-snapshots.command.js';
import { SnapshotMigration, type SnapshotUpgrade } from '#persistence';
import {
  CURRENT_WORKFLOW_VERSION,
  type RectificationEvent,
  replayHistory,
  replayMachineFor,
  upgradeSnapshot,
  type VersionedSnapshot,
} from '#rectification';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { createFixtureEngine, insertRows, migratedProblemRows, workflowFixtures } from '../support/workflow-fixtures.js';

/** What the migration may change on a problem row, and what it must not. */
interface StoredRow {
  id: string;
  version: number;
  machine_version: string;
  snapshot: string;
  deadline_state: string | null;
  updated_at: string;
  history_hash: string;
}

describe(SnapshotMigration.name, () => {
  let t: TestEngine;
  let migration: SnapshotMigration;
  beforeEach(async () => {
    t = await createTestEngine();
    migration = new SnapshotMigration(t.db);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const rows = async (): Promise<StoredRow[]> =>
    t.db.sqlRead((sql) => sql.all<StoredRow>('SELECT id, version, machine_version, snapshot, deadline_state, updated_at, history_hash FROM problems ORDER BY id'));
  const history = async () => t.db.sqlRead((sql) => sql.all('SELECT * FROM problem_history ORDER BY problem_id, version'));

  /** Files `count` problems through the engine, in id order every other one assigned (a deadline, a running clock). */
  async function fileProblems(count: number): Promise<Array<{ id: string; assigned: boolean }>> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const filing = { title: `railing ${index}`, description: 'd', category: 'c', severity: 'minor' as const, location: 'l', inspectionRef: 'r', requirement: 'q' };
      ids.push((await t.engine.file(t.org.users.inspector.actor, filing)).id);
    }
    const filed = ids.sort().map((id, index) => ({ id, assigned: index % 2 === 1 }));
    for (const { id } of filed.filter(({ assigned }) => assigned)) {
      await t.engine.send(t.org.users.supervisor.actor, id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-03-20T09:00:00.000Z' });
    }
    return filed;
  }

  /**
   * Rewrites a problem's stored snapshot as `version` stored it (its history replayed with that version's machine,
   * less the fields in `lacking`), directly in SQL; answers what the upgrade should make of it.
   */
  async function storeAs(id: string, version: string, lacking: string[] = []): Promise<VersionedSnapshot> {
    const machine = replayMachineFor(version);
    const [filing, ...events] = await t.problems.history(id);
    let old = machine.start({ problemId: id, severity: 'minor', filedBy: filing.actorId, filedAt: filing.occurredAt });
    for (const row of events) old = machine.apply(old, row.payload as unknown as RectificationEvent)!;
    const context = Object.fromEntries(Object.entries(old.context).filter(([field]) => !lacking.includes(field)));
    const stored = { value: old.value, context };
    // Rows from before the deadline region have no deadline state either.
    const deadlineState = version === '1.0.0' ? 'NULL' : 'deadline_state';
    await t.db.sqlWrite((sql) =>
      sql.run(`UPDATE problems SET snapshot = ?, machine_version = ?, deadline_state = ${deadlineState} WHERE id = ?`, [JSON.stringify(stored), version, id]),
    );
    return upgradeSnapshot(JSON.parse(JSON.stringify(stored)), version);
  }

  /** Seven problems: three stored under 2.2.0 (one from before the lists were kept), two under 1.0.0, two current. */
  async function mixedVersions() {
    const versions = ['2.2.0', '1.0.0', '2.2.0', CURRENT_WORKFLOW_VERSION, '1.0.0', '2.2.0', CURRENT_WORKFLOW_VERSION];
    const problems = (await fileProblems(versions.length)).map((problem, index) => ({ ...problem, version: versions[index] }));
    const expected = new Map<string, VersionedSnapshot>();
    for (const [index, { id, version }] of problems.entries()) {
      if (version === CURRENT_WORKFLOW_VERSION) continue;
      expected.set(id, await storeAs(id, version, index === 2 ? ['extensions', 'extensionCount', 'suspensions', 'pendingRequest'] : []));
    }
    const outdated = problems.filter(({ version }) => version !== CURRENT_WORKFLOW_VERSION);
    return { problems, expected, outdated: outdated.map(({ id }) => id), before: await rows(), historyBefore: await history() };
  }

  it('upgrades every outdated snapshot in batches, leaving versions, history and current snapshots as they were', async () => {
    // given problems stored under 1.0.0, 2.2.0 and the current version
    const { problems, expected, before, historyBefore } = await mixedVersions();
    expect(await migration.countOutdated()).toBe(5);

    // when every snapshot is migrated two at a time
    const batches: SnapshotUpgrade[] = [];
    const total = await migration.upgradeAll(2, (batch) => batches.push(batch));

    // then three batches upgraded all five, each stored as the upgrade makes it
    expect(batches.map((batch) => batch.upgraded)).toEqual([2, 2, 1]);
    expect(total).toEqual({ upgraded: 5, fromVersions: { '2.2.0': 3, '1.0.0': 2 }, overtaken: 0, refused: [] });
    expect(await migration.countOutdated()).toBe(0);
    const after = await rows();
    for (const [index, row] of after.entries()) {
      const old = before[index];
      expect(row).toMatchObject({ id: problems[index].id, version: old.version, machine_version: CURRENT_WORKFLOW_VERSION, updated_at: old.updated_at, history_hash: old.history_hash });
      if (expected.has(row.id)) expect(JSON.parse(row.snapshot)).toEqual(expected.get(row.id));
      else expect(row.snapshot).toBe(old.snapshot);
    }
    // the 1.0.0 rows got their clock's state: a filed problem's has not started, an assigned one's runs
    const v1 = problems.filter(({ version }) => version === '1.0.0');
    expect(v1.map(({ id }) => after.find((row) => row.id === id)!.deadline_state)).toEqual(v1.map(({ assigned }) => (assigned ? 'onTrack' : 'notSet')));
    expect(await history()).toEqual(historyBefore);

    // and the engine goes on from a migrated snapshot (a 1.0.0 one, assigned) as from any other
    const assigned = problems.find(({ version, assigned }) => version === '1.0.0' && assigned)!;
    const started = await t.engine.send(t.org.users.facilities.actor, assigned.id, {
      type: 'START',
      measures: 'replace the railing',
      responsiblePerson: 'Li',
      plannedCompletionDate: '2026-03-15',
    });
    expect(started).toMatchObject({ stateDetail: 'rectifying.inProgress', deadlineState: 'onTrack', version: 3 });
  });

  it('is not needed for loading: a problem is read upgraded, and its next commit stores it so', async () => {
    // given problems stored under old versions
    const { problems, expected } = await mixedVersions();

    // when they are loaded
    for (const { id } of problems.filter(({ version }) => version !== CURRENT_WORKFLOW_VERSION)) {
      const loaded = await t.problems.findById(id);

      // then the engine sees the current version only
      expect(loaded).toMatchObject({ machineVersion: CURRENT_WORKFLOW_VERSION, snapshot: expected.get(id) });
    }
    const v1 = problems.find(({ version, assigned }) => version === '1.0.0' && assigned)!;
    expect(await t.problems.findById(v1.id)).toMatchObject({ deadlineState: 'onTrack' });

    // and an event stores the upgraded snapshot, its history row naming the current version
    await t.engine.send(t.org.users.supervisor.actor, v1.id, { type: 'CANCEL', reason: 'duplicate' });
    const [row] = (await rows()).filter((candidate) => candidate.id === v1.id);
    expect(row).toMatchObject({ machine_version: CURRENT_WORKFLOW_VERSION, deadline_state: 'cancelled' });
    expect((await t.problems.history(v1.id)).at(-1)).toMatchObject({ eventType: 'CANCEL', machineVersion: CURRENT_WORKFLOW_VERSION });
  });

  it('finishes the rest when run again after being stopped between batches', async () => {
    // given a run stopped once its first batch has committed
    const { outdated, expected, before } = await mixedVersions();
    const stopped = migration.upgradeAll(2, () => {
      throw new Error('killed');
    });
    await expect(stopped).rejects.toThrow('killed');

    // then the first batch is done and the others are exactly as stored
    const [first, second, ...rest] = outdated;
    const midway = await rows();
    for (const id of [first, second]) expect(midway.find((row) => row.id === id)!.machine_version).toBe(CURRENT_WORKFLOW_VERSION);
    for (const id of rest) expect(midway.find((row) => row.id === id)).toEqual(before.find((row) => row.id === id));
    expect(await migration.countOutdated()).toBe(3);

    // when run again, it upgrades only what is left
    const total = await migration.upgradeAll(2);
    expect(total.upgraded).toBe(3);
    expect(await migration.countOutdated()).toBe(0);
    for (const row of await rows()) if (expected.has(row.id)) expect(JSON.parse(row.snapshot)).toEqual(expected.get(row.id));
  });

  it('writes none of a batch when it fails inside its transaction, and a rerun writes all of it', async () => {
    // given a database that fails the update of the third outdated row, as a process dying mid-batch would
    const { outdated, before } = await mixedVersions();
    const victim = outdated[2];
    const postgres = t.database.kind === 'postgres';
    const install = postgres
      ? [
          "CREATE FUNCTION rk_kill_migration() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'killed'; END $$ LANGUAGE plpgsql",
          `CREATE TRIGGER rk_kill_migration BEFORE UPDATE ON problems FOR EACH ROW WHEN (NEW.id = '${victim}') EXECUTE FUNCTION rk_kill_migration()`,
        ]
      : [`CREATE TRIGGER rk_kill_migration BEFORE UPDATE ON problems WHEN NEW.id = '${victim}' BEGIN SELECT RAISE(ABORT, 'killed'); END`];
    for (const statement of install) await t.db.read((manager) => manager.query(statement));

    // when the whole lot is migrated in one batch
    await expect(migration.upgradeAll(10)).rejects.toThrow('killed');

    // then nothing was written, not even the rows before the failing one
    expect(await rows()).toEqual(before);

    // and once the failure is gone, a rerun upgrades them all
    await t.db.read((manager) => manager.query(postgres ? 'DROP TRIGGER rk_kill_migration ON problems' : 'DROP TRIGGER rk_kill_migration'));
    expect((await migration.upgradeAll(10)).upgraded).toBe(5);
  });

  it('leaves a problem to an engine commit made after its snapshot was read: the commit wins', async () => {
    // given a batch read, then an event committed on one of its problems (stored under 2.2.0, still found)
    const { problems } = await mixedVersions();
    const batch = await migration.outdated('', 10);
    const found = problems.find(({ version, assigned }) => version === '2.2.0' && !assigned)!.id;
    const cancelled = await t.engine.send(t.org.users.inspector.actor, found, { type: 'CANCEL', reason: 'duplicate' });

    // when the batch is written
    const result = await migration.upgrade(batch);

    // then that problem keeps what the engine committed; the others are upgraded
    expect(result).toMatchObject({ upgraded: 4, overtaken: 1, refused: [] });
    const row = (await rows()).find((candidate) => candidate.id === found)!;
    expect(row).toMatchObject({ version: cancelled.version, machine_version: CURRENT_WORKFLOW_VERSION, deadline_state: 'cancelled' });
    expect(JSON.parse(row.snapshot)).toEqual(cancelled.snapshot);
    expect(await migration.countOutdated()).toBe(0);
  });

  describe('cli migrate-snapshots', () => {
    it('prints progress and a summary, and exits 0', async () => {
      await mixedVersions();
      const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      const progress = jest.spyOn(console, 'error').mockImplementation(() => undefined);

      const code = await runMigrateSnapshots(t.context, ['--batch', '2']);

      expect(code).toBe(0);
      expect(progress.mock.calls.map(([line]) => line)).toEqual([
        `5 stored snapshot(s) not of workflow version ${CURRENT_WORKFLOW_VERSION}; batches of 2.`,
        '  1.0.0 → 2.1.0: deadline region added, with its context fields',
        '  2.1.0 → 2.2.0: RECOUNT_DEADLINE accepted; nothing stored changed',
        '  2.2.0 → 3.0.0: every context field present',
        '… 2 of 5',
        '… 4 of 5',
        '… 5 of 5',
      ]);
      expect(out.mock.calls).toEqual([
        [`Snapshots: 5 upgraded to ${CURRENT_WORKFLOW_VERSION} (3 from 2.2.0, 2 from 1.0.0), 0 moved on by the engine meanwhile, 0 refused.`],
      ]);
      expect(await migration.countOutdated()).toBe(0);
    });

    it('leaves a snapshot of a version it does not know as it is, names it and exits 1', async () => {
      // given a problem stored by a newer release
      const [{ id }] = await fileProblems(1);
      await t.db.sqlWrite((sql) => sql.run('UPDATE problems SET machine_version = ? WHERE id = ?', ['9.0.0', id]));
      const before = await rows();
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      const progress = jest.spyOn(console, 'error').mockImplementation(() => undefined);

      const code = await runMigrateSnapshots(t.context, []);

      expect(code).toBe(1);
      expect(progress.mock.calls.map(([line]) => line)).toContain(
        `Problem ${id}: Workflow version 9.0.0 is newer than this code's ${CURRENT_WORKFLOW_VERSION}: run the release that wrote it.`,
      );
      expect(await rows()).toEqual(before);
    });

    it.each([[['--batch']], [['--batch', '0']], [['--batch', 'x']], [['--batch', '1e3']], [['--batch', '10001']], [['--size', '5']], [['--batch', '5', 'extra']]])(
      'refuses the arguments %j with its usage (exit 2), upgrading nothing',
      async (args) => {
        const [{ id }] = await fileProblems(1);
        await storeAs(id, '2.2.0');
        const usage = jest.spyOn(console, 'error').mockImplementation(() => undefined);

        expect(await runMigrateSnapshots(t.context, args)).toBe(2);
        expect(String(usage.mock.calls[0][0])).toMatch(/^Usage: npm run cli -- migrate-snapshots \[--batch N\]/);
        expect(await migration.countOutdated()).toBe(1);
      },
    );

    it('takes a batch size from 1 to 10,000, 500 by default', () => {
      expect([snapshotBatchSize([]), snapshotBatchSize(['--batch', '1']), snapshotBatchSize(['--batch', '10000'])]).toEqual([500, 1, 10_000]);
    });
  });
});

describe(`${SnapshotMigration.name} on the real 2.2.0 fixtures`, () => {
  it('upgrades every fixture to what its history replays to, version and history untouched', async () => {
    // given every fixture's problem, stored under 2.2.0, in one database migrated to today's schema
    const fixtures = workflowFixtures();
    const stored = await createFixtureEngine();
    try {
      for (const fixture of fixtures) await insertRows(stored.db, await migratedProblemRows(fixture));
      const problems = new SnapshotMigration(stored.db);
      const before = await stored.db.sqlRead((sql) => sql.all<StoredRow>('SELECT id, version, machine_version, snapshot FROM problems ORDER BY id'));
      expect(before.map((row) => row.machine_version)).toEqual(fixtures.map(() => '2.2.0'));

      // when
      const total = await problems.upgradeAll(7);

      // then each is stored as its history, replayed with the 2.2.0 machine and upgraded, says it must be
      expect(total).toMatchObject({ upgraded: fixtures.length, overtaken: 0, refused: [] });
      const after = await stored.db.sqlRead((sql) => sql.all<StoredRow>('SELECT id, version, machine_version, snapshot FROM problems ORDER BY id'));
      for (const [index, row] of after.entries()) {
        const history = await stored.problems.history(row.id);
        expect(history.every((entry) => entry.machineVersion === '2.2.0')).toBe(true);
        expect(row).toMatchObject({ version: before[index].version, machine_version: CURRENT_WORKFLOW_VERSION });
        expect(JSON.parse(row.snapshot)).toEqual(replayHistory(history));
        expect(JSON.parse(row.snapshot)).toEqual(upgradeSnapshot(JSON.parse(before[index].snapshot), '2.2.0'));
      }
    } finally {
      await stored.close();
    }
  }, 60_000); // each fixture is first migrated forward in a database of its own
});
