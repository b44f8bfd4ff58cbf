import { afterEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { PersistenceModule, SqliteCheckpointer } from '#persistence';

/** A WAL database with one table of page-sized rows, as the committing connection opens it. */
function openWal(dir: string): Sqlite.Database {
  const db = new Sqlite(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body BLOB)');
  return db;
}

/** `count` commits of one 4 KiB row each: at least a page of log each. */
function commitRows(db: Sqlite.Database, count: number): void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  for (let index = 0; index < count; index += 1) insert.run(Buffer.alloc(4096, index % 251));
}

const autocheckpoint = (db: Sqlite.Database) => db.pragma('wal_autocheckpoint', { simple: true });
/** The log's size in pages, read without checkpointing (a PRAGMA wal_checkpoint would itself copy them). */
const logPages = (dir: string) => Math.max(0, (statSync(join(dir, 'db.sqlite-wal')).size - 32) / (4096 + 24));

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Checkpointing SQLite in the background', () => {
  let dir: string;
  let db: Sqlite.Database | undefined;
  let checkpointer: SqliteCheckpointer | undefined;
  afterEach(async () => {
    await checkpointer?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the log into the database file while commits only append to it, and leaves the commits their backstop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rk-ckpt-'));
    db = openWal(dir);
    checkpointer = SqliteCheckpointer.start(join(dir, 'db.sqlite'), db, { intervalMs: 20 });
    // The committing connection checkpoints only far past SQLite's 1,000 pages: 2,500 commits leave it to the thread.
    expect(autocheckpoint(db)).toBe(32_768);
    const before = statSync(join(dir, 'db.sqlite')).size;
    commitRows(db, 2_500);
    const { passes } = await checkpointer.counts();
    await until(async () => (await checkpointer!.counts()).passes >= passes + 2, 'two passes after the commits');
    // Copied: the database file now holds the rows (about 10 MB) that only the log held.
    expect(statSync(join(dir, 'db.sqlite')).size - before).toBeGreaterThan(2_500 * 4096);
    expect(db.prepare('SELECT COUNT(*) FROM rows').pluck().get()).toBe(2_500);
  });

  it('rewinds a log that sustained writing has grown past its bound, so the file stops growing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rk-ckpt-'));
    db = openWal(dir);
    checkpointer = SqliteCheckpointer.start(join(dir, 'db.sqlite'), db, { intervalMs: 20, restartPages: 500 });
    await until(async () => (await checkpointer!.counts()).passes > 0, 'the thread to run');
    // 10,000 commits of a page-sized row (two pages of log or more each), with barely a pause between batches.
    for (let batch = 0; batch < 200; batch += 1) {
      commitRows(db, 50);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect((await checkpointer.counts()).restarts).toBeGreaterThan(0);
    // Rewound, the log is written again from its start: its file holds a fraction of the 20,000+ pages written.
    expect(logPages(dir)).toBeLessThan(5_000);
    expect(db.prepare('SELECT COUNT(*) FROM rows').pluck().get()).toBe(10_000);
  });

  it('hands checkpoints back to the commits when its thread fails, and when it is stopped', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rk-ckpt-'));
    db = openWal(dir);
    // A thread that cannot open the database ends at once.
    checkpointer = SqliteCheckpointer.start(join(dir, 'no-such.sqlite'), db, { intervalMs: 20 });
    await until(() => autocheckpoint(db!) === 1_000, 'checkpoints back inline after the failure');
    // The thread reports its failure, then ends: its exit comes a moment after the report.
    await until(() => !checkpointer!.running, 'the failed thread ends');

    const running = SqliteCheckpointer.start(join(dir, 'db.sqlite'), db, { intervalMs: 20 });
    expect(autocheckpoint(db)).toBe(32_768);
    await running.stop();
    expect(autocheckpoint(db)).toBe(1_000);
  });

  it('runs for a server on SQLite that asks for it, and stops with it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rk-ckpt-'));
    const path = join(dir, 'app.sqlite');
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ kind: 'sqlite', path, synchronous: 'NORMAL', checkpoints: 'background' })],
    }).compile();
    const app = await moduleRef.init();
    const running = app.get(SqliteCheckpointer);
    expect(running).toBeInstanceOf(SqliteCheckpointer);
    expect(running.running).toBe(true);
    const connection = (app.get(DataSource).driver as unknown as { databaseConnection: Sqlite.Database }).databaseConnection;
    expect(autocheckpoint(connection)).toBe(32_768);
    await app.close();
    expect(running.running).toBe(false);
    // Without the setting (as tests and FULL have it) there is no thread.
    const inline = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ kind: 'sqlite', path, synchronous: 'NORMAL' })],
    }).compile();
    const second = await inline.init();
    expect(second.get(SqliteCheckpointer)).toBeNull();
    await second.close();
  });
});
