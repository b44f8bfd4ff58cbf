import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { AuditTrail } from '#engine';
import {
  BackupError,
  type BackupMismatch,
  Database,
  databaseDumpFor,
  MANIFEST_FILE,
  restoreBackup,
  takeBackup,
} from '#persistence';
import { ProblemSteps, uploadEvidence } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

/** A write the API acknowledged: a problem at a version, or an evidence file. */
type Ack = { kind: 'version'; problemId: string; version: number } | { kind: 'evidence'; evidenceId: string; sha256: string };

interface Target {
  database: TestDatabase;
  evidenceDir: string;
}

describe(`${takeBackup.name} and ${restoreBackup.name}`, () => {
  let t: TestApp;
  let steps: ProblemSteps;
  const folders: string[] = [];
  const targets: Target[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    // History on a completed day, anchored, so the backup carries an anchor to verify.
    for (let i = 0; i < 3; i += 1) {
      const { id } = await steps.inStage('rectifying.inProgress');
      expect((await steps.uploadEvidence('facilities', id, 'rectification', `day one photo ${i} ${randomUUID()}`)).status).toBe(201);
    }
    t.clock.advance(86_400_000);
    expect(await t.app.get(AuditTrail).anchorCompletedDays()).toEqual(['2026-03-02']);
  });
  afterAll(async () => {
    for (const target of targets) {
      await target.database.drop();
      rmSync(target.evidenceDir, { recursive: true, force: true });
    }
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    await t?.close();
  });

  function newFolder(prefix: string): string {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    folders.push(folder);
    return folder;
  }

  /** A fresh empty database (SQLite file not yet created, or a new PostgreSQL database) and an evidence folder path. */
  async function freshTarget(): Promise<Target> {
    const target = { database: await createTestDatabase(), evidenceDir: join(newFolder('rk-restore-'), 'evidence') };
    targets.push(target);
    return target;
  }

  function backupOfTheServer(into = join(newFolder('rk-backup-'), 'backup')) {
    return takeBackup({ dump: databaseDumpFor(t.database.options, t.app.get(Database)), evidenceDir: t.evidence.dir, into, clock: t.clock });
  }

  function restoreInto(target: Target, from: string) {
    return restoreBackup({ from, database: target.database.options, evidenceDir: target.evidenceDir });
  }

  async function restoredRows(target: Target) {
    return databaseDumpFor(target.database.options).read(async (db) => ({
      problems: new Map((await db.all<{ id: string; version: number }>('SELECT id, version FROM problems')).map((row) => [row.id, Number(row.version)])),
      history: new Set((await db.all<{ problemId: string; version: number }>('SELECT problem_id AS "problemId", version FROM problem_history')).map((row) => `${row.problemId}@${row.version}`)),
      evidence: new Map((await db.all<{ id: string; sha256: string }>('SELECT id, sha256 FROM problem_evidence')).map((row) => [row.id, row.sha256])),
    }));
  }

  const checks = (mismatches: BackupMismatch[]) => mismatches.map((mismatch) => `${mismatch.check}:${mismatch.subject ?? ''}`);

  it('restores every write acknowledged before the backup began, taken while events and uploads go on, with every chain and file intact', async () => {
    // given a server under load: workers filing problems, reporting progress and uploading evidence
    const acks: Array<Ack & { beforeBackup: boolean }> = [];
    let backupStarted = false;
    let stop = false;
    const acknowledge = (ack: Ack) => acks.push({ ...ack, beforeBackup: !backupStarted });
    const worker = async (n: number) => {
      for (let round = 0; !stop && round < 500; round += 1) {
        // each worker drives its own problem, so expected versions never collide
        const { id } = await steps.inStage('rectifying.inProgress');
        let version = (await steps.get('inspector', id)).body.version as number;
        acknowledge({ kind: 'version', problemId: id, version });
        for (let step = 0; !stop && step < 6; step += 1) {
          if (step % 2 === 0) {
            const content = `photo ${n}/${round}/${step} ${randomUUID()}`;
            const uploaded = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', content);
            expect(uploaded.status).toBe(201);
            acknowledge({ kind: 'evidence', evidenceId: uploaded.body.id, sha256: sha256(content) });
          } else {
            const sent = await steps.send('facilities', id, { type: 'REPORT_PROGRESS', note: `step ${step}`, percent: 10 * step, expectedVersion: version });
            expect(sent.status).toBe(200);
            version = sent.body.version as number;
            acknowledge({ kind: 'version', problemId: id, version });
          }
        }
      }
    };
    const settle = async (enough: () => boolean) => {
      for (let waits = 0; !enough() && waits < 2_000; waits += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const workers = [0, 1, 2, 3].map(worker);
    await settle(() => acks.length >= 40);

    // when a backup is taken while they go on, and they go on after it
    backupStarted = true;
    const backup = await backupOfTheServer();
    await settle(() => acks.filter((ack) => !ack.beforeBackup).length >= 20);
    stop = true;
    await Promise.all(workers);
    const target = await freshTarget();
    const report = await restoreInto(target, backup.dir);

    // then the restored copy matches the manifest, and every chain, anchor and file verifies
    expect(backup.problems).toEqual([]);
    expect(report.mismatches).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.restored.anchors).toBe(1);
    expect(report.restored.evidenceFiles).toBe(backup.manifest.evidence.count);
    // and every write acknowledged before the backup began is in it
    const before = acks.filter((ack) => ack.beforeBackup);
    expect(before.length).toBeGreaterThanOrEqual(40);
    expect(acks.length - before.length).toBeGreaterThanOrEqual(20);
    const rows = await restoredRows(target);
    const lost = before.filter((ack) =>
      ack.kind === 'version'
        ? !((rows.problems.get(ack.problemId) ?? 0) >= ack.version && rows.history.has(`${ack.problemId}@${ack.version}`))
        : rows.evidence.get(ack.evidenceId) !== ack.sha256,
    );
    expect(lost).toEqual([]);
    for (const ack of before) {
      if (ack.kind !== 'evidence') continue;
      const file = join(target.evidenceDir, 'sha256', ack.sha256.slice(0, 2), ack.sha256.slice(2));
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(ack.sha256);
    }
  });

  it('reports a history row changed in the backup: the dump no longer matches and the chain breaks', async () => {
    // given a backup whose first history row is then edited
    const backup = await backupOfTheServer();
    const problemId = changeFirstHistoryRow(backup.dir, t.database.kind);

    // when it is restored
    const report = await restoreInto(await freshTarget(), backup.dir);

    // then
    expect(report.ok).toBe(false);
    // (the daily anchor covers the stored row hashes, which the edit left alone: the chain is what catches it)
    expect(checks(report.mismatches)).toEqual([`dump:${backup.manifest.database.file}`, `history:${problemId}`]);
    expect(report.mismatches.find((mismatch) => mismatch.check === 'history')?.message).toContain('does not match its hash');
  });

  it('reports an evidence file deleted from the backup', async () => {
    // given a backup missing one of its evidence files
    const backup = await backupOfTheServer();
    const [{ sha256: deleted }] = backup.manifest.evidence.files;
    unlinkSync(join(backup.dir, 'evidence', 'sha256', deleted.slice(0, 2), deleted.slice(2)));

    // when
    const report = await restoreInto(await freshTarget(), backup.dir);

    // then
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual([{ check: 'evidence', subject: deleted, message: expect.stringContaining('missing from the backup') }]);
  });

  it('reports a changed manifest', async () => {
    // given a backup whose manifest claims one problem more
    const backup = await backupOfTheServer();
    const path = join(backup.dir, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.tables.problems += 1;
    writeFileSync(path, JSON.stringify(manifest, null, 2));

    // when
    const report = await restoreInto(await freshTarget(), backup.dir);

    // then
    expect(report.ok).toBe(false);
    expect(checks(report.mismatches)).toEqual([`manifest:${MANIFEST_FILE}`, 'table:problems']);
  });

  it('refuses a target that is not empty, naming what is in it, and writes nothing', async () => {
    // given a backup, the running server's own database, and an empty database beside an evidence folder in use
    const backup = await backupOfTheServer();
    const target = await freshTarget();

    // when / then
    const intoTheServer = restoreBackup({ from: backup.dir, database: t.database.options, evidenceDir: target.evidenceDir });
    await expect(intoTheServer).rejects.toThrow(BackupError);
    await expect(intoTheServer).rejects.toMatchObject({
      code: 'BACKUP.TARGET_NOT_EMPTY',
      message: expect.stringMatching(t.database.kind === 'sqlite' ? /the SQLite database .* exists/ : /the PostgreSQL database has \d+ table\(s\) \(public\./),
    });
    await expect(restoreBackup({ from: backup.dir, database: target.database.options, evidenceDir: t.evidence.dir })).rejects.toMatchObject({
      code: 'BACKUP.TARGET_NOT_EMPTY',
      message: expect.stringContaining(`the evidence folder ${t.evidence.dir} holds`),
    });
    expect(await databaseDumpFor(target.database.options).notEmpty()).toBeNull();
  });

  it('refuses a backup folder that is not empty', async () => {
    const into = newFolder('rk-backup-');
    writeFileSync(join(into, 'something.txt'), 'x');
    await expect(backupOfTheServer(into)).rejects.toMatchObject({ code: 'BACKUP.TARGET_NOT_EMPTY' });
  });
});

/** Edits the actor name of the backup's first history row (in id order); answers that row's problem. */
function changeFirstHistoryRow(dir: string, kind: 'sqlite' | 'postgres'): string {
  // (the first rows, of the anchored day, in either database)
  if (kind === 'sqlite') {
    const db = new Sqlite(join(dir, 'database.sqlite'));
    try {
      const row = db.prepare("SELECT id, problem_id AS problemId FROM problem_history WHERE occurred_at < '2026-03-03' ORDER BY id LIMIT 1").get() as { id: string; problemId: string };
      db.prepare("UPDATE problem_history SET actor_name = 'Someone else' WHERE id = ?").run(row.id);
      return row.problemId;
    } finally {
      db.close();
    }
  }
  // pg_dump's plain format: a COPY header naming the columns, then one tab-separated line per row.
  const path = join(dir, 'database.sql');
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('COPY public.problem_history ('));
  const columns = lines[header].slice(lines[header].indexOf('(') + 1, lines[header].indexOf(')')).split(', ');
  const fields = lines[header + 1].split('\t');
  fields[columns.indexOf('actor_name')] = 'Someone else';
  lines[header + 1] = fields.join('\t');
  writeFileSync(path, lines.join('\n'));
  return fields[columns.indexOf('problem_id')];
}
