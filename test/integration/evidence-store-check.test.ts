import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { EvidenceStoreKind } from '#engine';
import {
  createDataSource,
  Database,
  DatabaseEvidenceStore,
  EvidenceStoreCheck,
  EvidenceStoreError,
  FileEvidenceStore,
  openDatabase,
  openEvidenceStore,
  recordedEvidenceStore,
  STORE_MARKER_FILE,
} from '#persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The start-up check that a server's evidence store is the one the other servers of its database use, on the
 * database TEST_DATABASE names. Each "server" is its own connection (pool) to the database.
 */
describe(EvidenceStoreCheck.name, () => {
  let database: TestDatabase;
  let migrated: DataSource;
  let db: Database;
  const servers: DataSource[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    migrated = await openDatabase(database.options);
    db = new Database(migrated);
  });
  afterAll(async () => {
    for (const server of servers) await server.destroy();
    await migrated?.destroy();
    await database?.drop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** Each test starts on a database where nothing is recorded and no evidence exists. */
  async function reset(): Promise<void> {
    await db.sqlRead((sql) => sql.run('DELETE FROM evidence_store'));
    await db.sqlRead((sql) => sql.run('DELETE FROM problem_evidence'));
    await db.sqlRead((sql) => sql.run('DELETE FROM evidence_contents'));
  }

  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rk-evidence-check-'));
    folders.push(dir);
    return dir;
  }

  /** Another server's connection to the same database. */
  async function server(): Promise<Database> {
    const dataSource = await createDataSource(database.options).initialize();
    servers.push(dataSource);
    return new Database(dataSource);
  }

  const start = async (kind: EvidenceStoreKind, dir: string, on: Database = db) => new EvidenceStoreCheck(on).ensure({ kind, dir });
  const marker = (dir: string) => readFileSync(join(dir, STORE_MARKER_FILE), 'utf8').trim();
  const refusal = async (kind: EvidenceStoreKind, dir: string): Promise<EvidenceStoreError> => {
    const error = await start(kind, dir).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EvidenceStoreError);
    return error as EvidenceStoreError;
  };

  /** An uploaded file's row (and, for the file store, the file in `dir`). */
  async function evidence(options: { inDir?: string; inDatabase?: boolean } = {}): Promise<string> {
    const content = Buffer.from(`photo ${randomUUID()}`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (options.inDir) await new FileEvidenceStore(options.inDir).put(content);
    if (options.inDatabase) await new DatabaseEvidenceStore(db).put(content);
    await db.sqlRead((sql) =>
      sql.run(
        'INSERT INTO problem_evidence (id, problem_id, kind, sha256, size, media_type, original_name, uploaded_by, uploaded_at, submitted_in_version) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [randomUUID(), randomUUID(), 'rectification', sha256, content.length, 'text/plain', 'note.txt', randomUUID(), '2026-03-02T01:00:00.000Z', null],
      ),
    );
    return sha256;
  }

  describe('accepts', () => {
    it('the first server on the file store: records a new store id and writes it as the directory marker; it starts again on it', async () => {
      // given
      await reset();
      const dir = folder();

      // when
      const recorded = await start('file', dir);

      // then
      expect(recorded).toEqual({ kind: 'file', storeId: expect.stringMatching(/^[0-9a-f]{32}$/), recordedAt: expect.any(String) });
      expect(marker(dir)).toBe(recorded.storeId);
      expect(await recordedEvidenceStore(db)).toEqual(recorded);
      await expect(start('file', dir)).resolves.toEqual(recorded);
    });

    it('two servers starting at once on one shared directory: both start, on the same store id', async () => {
      for (let round = 0; round < 5; round += 1) {
        // given two servers and one directory, nothing recorded
        await reset();
        const dir = folder();
        const [a, b] = [await server(), await server()];

        // when they start at the same moment
        const [first, second] = await Promise.all([start('file', dir, a), start('file', dir, b)]);

        // then
        expect(second).toEqual(first);
        expect(marker(dir)).toBe(first.storeId);
      }
    });

    it('an installation upgrading with evidence in its directory and nothing recorded: starts, and records that directory', async () => {
      // given evidence rows whose files are in the directory, from before the store was recorded
      await reset();
      const dir = folder();
      await evidence({ inDir: dir });
      await evidence({ inDir: dir });
      expect(existsSync(join(dir, STORE_MARKER_FILE))).toBe(false);

      // when
      const recorded = await start('file', dir);

      // then
      expect(recorded.kind).toBe('file');
      expect(marker(dir)).toBe(recorded.storeId);
    });

    it('the database store, with any EVIDENCE_DIR, and writes no marker', async () => {
      // given
      await reset();
      const [one, two] = [folder(), folder()];

      // when two servers with different directories start on the database store, and one again once evidence exists
      await start('database', one);
      await start('database', two);
      await evidence({ inDatabase: true });

      // then
      await expect(start('database', one)).resolves.toMatchObject({ kind: 'database', storeId: null });
      expect(existsSync(join(one, STORE_MARKER_FILE)) || existsSync(join(two, STORE_MARKER_FILE))).toBe(false);
    });

    it('another kind while no evidence exists: the record follows (file, then database, then file again)', async () => {
      await reset();
      const dir = folder();
      expect((await start('file', dir)).kind).toBe('file');
      expect(await start('database', dir)).toMatchObject({ kind: 'database', storeId: null });
      const again = await start('file', dir);
      // (the directory keeps its marker, which the new record names)
      expect(again).toMatchObject({ kind: 'file', storeId: marker(dir) });
    });

    it('an installation whose evidence is already in the database starting on the database store', async () => {
      await reset();
      await evidence({ inDatabase: true });
      await expect(start('database', folder())).resolves.toMatchObject({ kind: 'database' });
    });
  });

  describe('refuses', () => {
    it('a file-store server when the servers of the database keep evidence in it', async () => {
      // given the database store recorded, and evidence stored
      await reset();
      await start('database', folder());
      await evidence({ inDatabase: true });

      // when
      const error = await refusal('file', folder());

      // then
      expect(error.code).toBe('EVIDENCE_STORE.KIND_MISMATCH');
      expect(error.message).toMatch(/^EVIDENCE_STORE is file, but the other servers of this database keep evidence in the database \(EVIDENCE_STORE=database, recorded .*, and evidence is stored there\)/);
      expect(error.message).toContain('Set EVIDENCE_STORE=database on this server');
      expect((await recordedEvidenceStore(db))?.kind).toBe('database');
    });

    it('a database-store server when the servers of the database keep evidence in their shared directory', async () => {
      // given
      await reset();
      const shared = folder();
      await start('file', shared);
      await evidence({ inDir: shared });

      // when
      const error = await refusal('database', shared);

      // then
      expect(error.code).toBe('EVIDENCE_STORE.KIND_MISMATCH');
      expect(error.message).toMatch(/^EVIDENCE_STORE is database, but the other servers of this database keep evidence as files in their shared EVIDENCE_DIR \(EVIDENCE_STORE=file/);
      expect(error.message).toContain('Set EVIDENCE_STORE=file on this server, with EVIDENCE_DIR the shared directory');
    });

    it('a directory without the marker, or with another marker, while a store id is recorded', async () => {
      // given the shared directory recorded
      await reset();
      const shared = folder();
      const { storeId } = await start('file', shared);
      const elsewhere = folder();

      // when a server starts on a directory without a marker (no evidence yet)
      const unmarked = await refusal('file', elsewhere);

      // then
      expect(unmarked.code).toBe('EVIDENCE_STORE.OTHER_DIRECTORY');
      expect(unmarked.message).toBe(
        `EVIDENCE_DIR ${elsewhere} is not the evidence directory the other servers of this database use: it has no .store-id marker, and the ` +
          `database recorded store ${storeId} (${(await recordedEvidenceStore(db))?.recordedAt}). This server would answer for files it does not have. ` +
          `Mount the shared directory (the one whose .store-id holds ${storeId}) at ${elsewhere}, or set EVIDENCE_STORE=database on every server (no evidence is stored yet).`,
      );
      // and it wrote nothing there
      expect(existsSync(join(elsewhere, STORE_MARKER_FILE))).toBe(false);

      // when the directory holds another store's marker, or something else, and evidence exists
      await evidence({ inDir: shared });
      const other = randomBytes(16).toString('hex');
      writeFileSync(join(elsewhere, STORE_MARKER_FILE), `${other}\n`);
      const marked = await refusal('file', elsewhere);
      writeFileSync(join(elsewhere, STORE_MARKER_FILE), 'x'.repeat(10_000));
      const garbage = await refusal('file', elsewhere);

      // then
      expect(marked.code).toBe('EVIDENCE_STORE.OTHER_DIRECTORY');
      expect(marked.message).toContain(`its .store-id names store ${other}, and the database recorded store ${storeId}`);
      // (with evidence stored, switching to the database store is no way out: it is not offered)
      expect(marked.message).not.toContain('EVIDENCE_STORE=database');
      expect(garbage.message).toContain('its .store-id is not a store id');
      // and the shared directory still starts
      await expect(start('file', shared)).resolves.toMatchObject({ storeId });
    });

    it('of two servers starting at once on two directories, exactly one: the other is refused', async () => {
      for (let round = 0; round < 5; round += 1) {
        // given nothing recorded, and two servers on directories of their own
        await reset();
        const [dirA, dirB] = [folder(), folder()];
        const [a, b] = [await server(), await server()];

        // when they start at the same moment
        const outcomes = await Promise.allSettled([start('file', dirA, a), start('file', dirB, b)]);

        // then one started, on its directory, and the other was refused
        const started = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [{ dir: [dirA, dirB][index], recorded: outcome.value }] : []));
        const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as EvidenceStoreError] : []));
        expect(started).toHaveLength(1);
        expect(refused).toHaveLength(1);
        expect(marker(started[0].dir)).toBe(started[0].recorded.storeId);
        expect(refused[0]).toBeInstanceOf(EvidenceStoreError);
        expect(refused[0].code).toBe('EVIDENCE_STORE.OTHER_DIRECTORY');
        expect((await recordedEvidenceStore(db))?.storeId).toBe(started[0].recorded.storeId);
      }
    });

    it('an upgrading installation on a directory that holds none of its files, until the directory is marked by hand', async () => {
      // given evidence rows from before the store was recorded, and a directory without their files
      await reset();
      const sha256 = await evidence({ inDir: folder() });
      const empty = folder();

      // when / then: the first server would otherwise record a directory without the evidence
      const error = await refusal('file', empty);
      expect(error.code).toBe('EVIDENCE_STORE.CONTENT_MISSING');
      expect(error.message).toContain(`EVIDENCE_DIR ${empty} holds none of the evidence files the database references (such as ${sha256})`);
      expect(error.message).toContain(`openssl rand -hex 16 > ${join(empty, STORE_MARKER_FILE)}`);
      expect(await recordedEvidenceStore(db)).toBeNull();

      // and once an operator marks it, it is taken as the store
      const id = randomBytes(16).toString('hex');
      writeFileSync(join(empty, STORE_MARKER_FILE), `${id}\n`);
      await expect(start('file', empty)).resolves.toMatchObject({ kind: 'file', storeId: id });
    });

    it('the database store on an installation whose evidence is files, recording nothing', async () => {
      // given evidence from before the store was recorded: files
      await reset();
      await evidence({ inDir: folder() });

      // when
      const error = await refusal('database', folder());

      // then
      expect(error.code).toBe('EVIDENCE_STORE.CONTENT_MISSING');
      expect(error.message).toBe(
        'EVIDENCE_STORE is database, but the database has 1 evidence row(s) whose content is not in it: they were stored as files (EVIDENCE_STORE=file, ' +
          'the default). Start this server with EVIDENCE_STORE=file and EVIDENCE_DIR set to the directory that holds them.',
      );
      expect(await recordedEvidenceStore(db)).toBeNull();
    });

    it('a directory holding a .store-id that is not a store id, when nothing is recorded yet', async () => {
      await reset();
      const dir = folder();
      writeFileSync(join(dir, STORE_MARKER_FILE), 'not a store id\n');
      const error = await refusal('file', dir);
      expect(error.code).toBe('EVIDENCE_STORE.OTHER_DIRECTORY');
      expect(error.message).toContain('holds a .store-id that is not a store id');
      expect(await recordedEvidenceStore(db)).toBeNull();
    });
  });

  describe(openEvidenceStore.name, () => {
    it('gives a process that names no store (the CLI, a worker) the recorded one, and records nothing itself', async () => {
      // given nothing recorded
      await reset();
      const dir = folder();

      // when such a process opens its store
      expect(await openEvidenceStore(db, { evidenceDir: dir })).toBeInstanceOf(FileEvidenceStore);

      // then nothing was recorded or marked
      expect(await recordedEvidenceStore(db)).toBeNull();
      expect(existsSync(join(dir, STORE_MARKER_FILE))).toBe(false);

      // and once a server recorded the database store, it is what such a process gets
      await openEvidenceStore(db, { evidenceStore: 'database', evidenceDir: dir });
      expect(await openEvidenceStore(db, { evidenceDir: dir })).toBeInstanceOf(DatabaseEvidenceStore);
    });

    it('refuses a server on a store other than the recorded one, before any store is made', async () => {
      await reset();
      await start('file', folder());
      await evidence({ inDatabase: true });
      await expect(openEvidenceStore(db, { evidenceStore: 'database', evidenceDir: folder() })).rejects.toMatchObject({ code: 'EVIDENCE_STORE.KIND_MISMATCH' });
    });
  });
});
