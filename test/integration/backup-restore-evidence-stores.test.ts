import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Database,
  DatabaseEvidenceStore,
  databaseDumpFor,
  EvidenceStoreCheck,
  openDatabase,
  recordedEvidenceStore,
  restoreBackup,
  STORE_MARKER_FILE,
  takeBackup,
} from '#persistence';
import { ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** Backups and restores of each evidence store (EVIDENCE_STORE), on the database TEST_DATABASE names. */
describe(`${takeBackup.name} and ${restoreBackup.name} with each evidence store`, () => {
  const folders: string[] = [];
  const targets: TestDatabase[] = [];
  function newFolder(prefix: string): string {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    folders.push(folder);
    return folder;
  }
  async function freshDatabase(): Promise<TestDatabase> {
    const target = await createTestDatabase();
    targets.push(target);
    return target;
  }
  afterAll(async () => {
    for (const target of targets) await target.drop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** Uploads `count` files of rectification evidence; answers their contents. */
  async function uploads(t: TestApp, count: number): Promise<string[]> {
    const steps = new ProblemSteps(t);
    const { id } = await steps.inStage('rectifying.inProgress');
    const contents: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const content = `photo ${i} ${randomUUID()}`;
      expect((await steps.uploadEvidence('facilities', id, 'rectification', content)).status).toBe(201);
      contents.push(content);
    }
    return contents;
  }

  describe('the database store', () => {
    let t: TestApp;
    let contents: string[];
    beforeAll(async () => {
      t = await createTestApp({ evidence: { store: 'database' } });
      contents = await uploads(t, 3);
    });
    afterAll(async () => {
      await t?.close();
    });

    const backup = () =>
      takeBackup({ dump: databaseDumpFor(t.database.options, t.app.get(Database)), into: join(newFolder('rk-backup-'), 'backup'), clock: t.clock });

    it('is backed up in the dump, re-hashed in the snapshot, without an EVIDENCE_DIR; restored without one, and verified', async () => {
      // when a backup is taken without any EVIDENCE_DIR
      const taken = await backup();

      // then the content is in the dump (the table is counted), and the backup has no evidence folder
      expect(taken.problems).toEqual([]);
      expect(taken.manifest.evidence).toMatchObject({ store: 'database', count: 3, unavailable: [] });
      expect(taken.manifest.evidence.files.map((file) => file.sha256).sort()).toEqual(contents.map(sha256).sort());
      expect(taken.manifest.tables.evidence_contents).toBe(3);
      expect(taken.manifest.tables.evidence_store).toBe(1);
      expect(readdirSync(taken.dir).sort()).toEqual([taken.manifest.database.file, 'manifest.json', 'manifest.sha256'].sort());

      // when it is restored into an empty database, with no evidence folder at all
      const target = await freshDatabase();
      const report = await restoreBackup({ from: taken.dir, database: target.options });

      // then
      expect(report.mismatches).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.restored.evidenceFiles).toBe(3);
      // and a server on the database store starts on the restored copy and serves the content
      const restored = await openDatabase(target.options);
      try {
        const db = new Database(restored);
        await expect(new EvidenceStoreCheck(db).ensure({ kind: 'database', dir: newFolder('rk-any-') })).resolves.toMatchObject({ kind: 'database' });
        const store = new DatabaseEvidenceStore(db);
        for (const content of contents) expect(await store.rehash(sha256(content))).toBe(sha256(content));
      } finally {
        await restored.destroy();
      }
    });

    it('leaves the EVIDENCE_DIR it is given alone, even when it is not empty', async () => {
      // given a backup, and a folder in use
      const taken = await backup();
      const inUse = newFolder('rk-in-use-');
      writeFileSync(join(inUse, 'something.txt'), 'x');

      // when
      const report = await restoreBackup({ from: taken.dir, database: (await freshDatabase()).options, evidenceDir: inUse });

      // then
      expect(report.ok).toBe(true);
      expect(readdirSync(inUse)).toEqual(['something.txt']);
    });

    it('names content that is damaged or missing in the live store, and the restore finds the same', async () => {
      // given one file's content changed in the table, and another's gone
      const [changed, gone] = [sha256(contents[0]), sha256(contents[1])];
      const db = t.app.get(Database);
      await db.sqlRead((sql) => sql.run('UPDATE evidence_contents SET content = ? WHERE sha256 = ?', [Buffer.from('not the photo'), changed]));
      await db.sqlRead((sql) => sql.run('DELETE FROM evidence_contents WHERE sha256 = ?', [gone]));
      try {
        // when
        const taken = await backup();
        const report = await restoreBackup({ from: taken.dir, database: (await freshDatabase()).options });

        // then
        expect(taken.manifest.evidence.unavailable.sort((x, y) => x.sha256.localeCompare(y.sha256))).toEqual(
          [
            { sha256: changed, reason: 'corrupt' },
            { sha256: gone, reason: 'missing' },
          ].sort((x, y) => x.sha256.localeCompare(y.sha256)),
        );
        expect(taken.problems.find((problem) => problem.subject === changed)?.message).toBe(
          `Evidence ${changed} in the database's evidence store (evidence_contents) hashes to ${sha256('not the photo')}: it is damaged (the dump holds it as it is).`,
        );
        expect(taken.problems.find((problem) => problem.subject === gone)?.message).toContain('missing from the database');
        expect(report.ok).toBe(false);
        expect(report.mismatches.filter((mismatch) => mismatch.check === 'evidence').map((mismatch) => mismatch.message).sort()).toEqual(
          [
            `Evidence ${changed} in the restored database's evidence store hashes to ${sha256('not the photo')}.`,
            `Evidence ${gone} is not in the restored database's evidence store (evidence_contents).`,
          ].sort(),
        );
      } finally {
        const store = new DatabaseEvidenceStore(db);
        await db.sqlRead((sql) => sql.run('DELETE FROM evidence_contents WHERE sha256 = ?', [changed]));
        await store.put(Buffer.from(contents[0]));
        await store.put(Buffer.from(contents[1]));
      }
    });
  });

  describe('the file store', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
      await uploads(t, 2);
    });
    afterAll(async () => {
      await t?.close();
    });

    it("is copied as before, and the restored folder gets the recorded store id as its marker, so servers start on the copy", async () => {
      // given a backup of a database whose servers recorded their directory
      const recorded = await recordedEvidenceStore(t.app.get(Database));
      expect(recorded).toMatchObject({ kind: 'file', storeId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const taken = await takeBackup({
        dump: databaseDumpFor(t.database.options, t.app.get(Database)),
        evidenceDir: t.evidence.dir,
        into: join(newFolder('rk-backup-'), 'backup'),
        clock: t.clock,
      });
      expect(taken.manifest.evidence).toMatchObject({ store: 'file', count: 2, unavailable: [] });
      // (the marker is the live directory's, not evidence: it is not copied)
      expect(existsSync(join(taken.dir, 'evidence', STORE_MARKER_FILE))).toBe(false);

      // when it is restored
      const target = await freshDatabase();
      const evidenceDir = join(newFolder('rk-restore-'), 'evidence');
      const report = await restoreBackup({ from: taken.dir, database: target.options, evidenceDir });

      // then
      expect(report.mismatches).toEqual([]);
      expect(report.restored.evidenceFiles).toBe(2);
      expect(readFileSync(join(evidenceDir, STORE_MARKER_FILE), 'utf8')).toBe(`${recorded?.storeId}\n`);
      const restored = await openDatabase(target.options);
      try {
        await expect(new EvidenceStoreCheck(new Database(restored)).ensure({ kind: 'file', dir: evidenceDir })).resolves.toMatchObject({ storeId: recorded?.storeId });
      } finally {
        await restored.destroy();
      }
    });

    it('needs an EVIDENCE_DIR to back up from and to restore into', async () => {
      const dump = databaseDumpFor(t.database.options, t.app.get(Database));
      await expect(takeBackup({ dump, into: join(newFolder('rk-backup-'), 'backup'), clock: t.clock })).rejects.toMatchObject({ code: 'BACKUP.NO_EVIDENCE_DIR' });
      const taken = await takeBackup({ dump, evidenceDir: t.evidence.dir, into: join(newFolder('rk-backup-'), 'backup'), clock: t.clock });
      const target = await freshDatabase();
      await expect(restoreBackup({ from: taken.dir, database: target.options })).rejects.toMatchObject({ code: 'BACKUP.NO_EVIDENCE_DIR' });
      expect(await databaseDumpFor(target.options).notEmpty()).toBeNull();
    });
  });
});
