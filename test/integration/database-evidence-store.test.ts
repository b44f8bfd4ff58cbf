import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { FakeClock } from '#domain';
import { createDataSource, Database, DatabaseEvidenceStore, EVIDENCE_READ_CHUNK_BYTES, openDatabase } from '#persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Evidence content in the database (EVIDENCE_STORE=database), on the database TEST_DATABASE names. */
describe(DatabaseEvidenceStore.name, () => {
  let database: TestDatabase;
  let first: DataSource;
  let second: DataSource;
  let db: Database;
  let store: DatabaseEvidenceStore;
  /** The same database through another connection (pool), as another server has it. */
  let other: DatabaseEvidenceStore;
  const clock = new FakeClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await openDatabase(database.options);
    second = await createDataSource(database.options).initialize();
    db = new Database(first);
    store = new DatabaseEvidenceStore(db, clock);
    other = new DatabaseEvidenceStore(new Database(second), clock);
  });
  afterAll(async () => {
    await second?.destroy();
    await first?.destroy();
    await database?.drop();
  });

  const rows = async (hash: string) =>
    db.sqlRead((sql) => sql.all<{ size: number | string; stored_at: string }>('SELECT size, stored_at FROM evidence_contents WHERE sha256 = ?', [hash]));

  it('stores content once under its SHA-256: putting it again creates nothing', async () => {
    // given
    const content = Buffer.from(`Exit cleared ${randomUUID()}\n`);

    // when it is put twice
    const put = await store.put(content);
    const again = await store.put(content);

    // then
    expect(put).toEqual({ sha256: sha256(content), created: true });
    expect(again).toEqual({ sha256: sha256(content), created: false });
    expect((await rows(put.sha256)).map((row) => [Number(row.size), row.stored_at])).toEqual([[content.length, clock.now().toISOString()]]);
    expect(await readAll(store.open(put.sha256))).toEqual(content);
    expect(await store.has(put.sha256)).toBe(true);
  });

  it('lets two servers put the same content at once: both succeed, one of them creates it, one row is kept', async () => {
    // given contents nobody stored yet
    const contents = Array.from({ length: 12 }, (_v, i) => randomBytes(2048 + i));

    // when two servers put each of them at the same moment
    const results = await Promise.all(contents.map((content) => Promise.all([store.put(content), other.put(content)])));

    // then
    for (const [index, [a, b]] of results.entries()) {
      expect(a.sha256).toBe(sha256(contents[index]));
      expect(b.sha256).toBe(a.sha256);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
      expect(await rows(a.sha256)).toHaveLength(1);
    }
  });

  it('opens the content as a stream, a slice at a time, on any server of the database', async () => {
    // given content larger than two read slices
    const content = randomBytes(2 * EVIDENCE_READ_CHUNK_BYTES + 12_345);
    const { sha256: hash } = await store.put(content);

    // when another server opens it
    const stream = other.open(hash);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);

    // then
    expect(chunks.map((chunk) => chunk.length)).toEqual([EVIDENCE_READ_CHUNK_BYTES, EVIDENCE_READ_CHUNK_BYTES, 12_345]);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(await other.rehash(hash)).toBe(hash);
  });

  it('fails the stream of content it does not hold, saying so', async () => {
    const absent = sha256(randomBytes(16));
    await expect(readAll(store.open(absent))).rejects.toThrow(`Evidence content ${absent} is not in the database's evidence store.`);
    expect(await store.rehash(absent)).toBeNull();
    expect(await store.has(absent)).toBe(false);
  });

  it('re-hashes what is stored now: content changed behind its back hashes to something else', async () => {
    // given stored content, then changed in the table (same length, then one byte longer)
    const content = Buffer.from(`Keep-clear zone marked ${randomUUID()}`);
    const { sha256: hash } = await store.put(content);
    expect(await store.rehash(hash)).toBe(hash);
    const changed = Buffer.from(content);
    changed[0] ^= 0xff;
    await db.sqlRead((sql) => sql.run('UPDATE evidence_contents SET content = ? WHERE sha256 = ?', [changed, hash]));

    // when / then
    expect(await store.rehash(hash)).toBe(sha256(changed));
    const longer = Buffer.concat([content, Buffer.from('!')]);
    await db.sqlRead((sql) => sql.run('UPDATE evidence_contents SET content = ? WHERE sha256 = ?', [longer, hash]));
    expect(await store.rehash(hash)).toBe(sha256(longer));
  });

  it('removes content no evidence row names (an upload whose row failed), and keeps content a row names', async () => {
    // given content of a failed upload, and content an evidence row names
    const orphanContent = Buffer.from(`orphan ${randomUUID()}`);
    const orphan = await store.put(orphanContent);
    const named = await store.put(Buffer.from(`named ${randomUUID()}`));
    await db.sqlRead((sql) =>
      sql.run(
        'INSERT INTO problem_evidence (id, problem_id, kind, sha256, size, media_type, original_name, uploaded_by, uploaded_at, submitted_in_version) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [randomUUID(), randomUUID(), 'rectification', named.sha256, 10, 'text/plain', 'note.txt', randomUUID(), clock.now().toISOString(), null],
      ),
    );

    // when both are removed
    await store.remove(orphan.sha256);
    await store.remove(named.sha256);

    // then
    expect(await store.rehash(orphan.sha256)).toBeNull();
    expect(await rows(orphan.sha256)).toEqual([]);
    expect(await store.rehash(named.sha256)).toBe(named.sha256);
    // and content removed can be stored again
    expect(await store.put(orphanContent)).toEqual({ sha256: orphan.sha256, created: true });
  });

  it('refuses what is not a SHA-256 before it reaches the database', async () => {
    expect(() => store.open("' OR 1=1 --")).toThrow('Not a SHA-256');
    await expect(store.rehash('../../etc/passwd')).rejects.toThrow('Not a SHA-256');
    await expect(store.remove('A'.repeat(64))).rejects.toThrow('Not a SHA-256');
  });
});
