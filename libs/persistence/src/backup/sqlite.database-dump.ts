import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from '../database.js';
import { DatabaseDump, type SnapshotReader } from './database-dump.port.js';

/**
 * SQLite: `VACUUM INTO` writes the database as one read transaction sees it, so the copy is consistent while the
 * server goes on writing (WAL lets readers and the writer proceed together). A file copy of a live database and
 * its `-wal` is not: it can tear between pages. Restoring is a plain copy of that (offline) snapshot file.
 */
export class SqliteDatabaseDump extends DatabaseDump {
  readonly kind = 'sqlite';
  readonly fileName = 'database.sqlite';

  /** `live`: the running database's connection, needed to dump (not to restore). */
  constructor(
    private readonly path: string,
    private readonly live?: Database,
  ) {
    super();
  }

  async dump<T>(file: string, inspect: (snapshot: SnapshotReader) => Promise<T>): Promise<T> {
    if (!this.live) throw new Error('A SQLite dump needs the live database connection.');
    // Through the Database's queue: VACUUM cannot run inside another unit of work's open transaction on this connection.
    await this.live.sqlRead((sql) => sql.run('VACUUM INTO ?', [file]));
    return readSqlite(file, inspect);
  }

  async notEmpty(): Promise<string | null> {
    for (const path of [this.path, `${this.path}-wal`]) {
      const size = await stat(path).then(
        (found) => found.size,
        () => 0,
      );
      if (size > 0) return `the SQLite database ${path} exists (${size} bytes)`;
    }
    return null;
  }

  async load(file: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.restore-${randomBytes(6).toString('hex')}`;
    try {
      await copyFile(file, temporary);
      const handle = await open(temporary, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  read<T>(inspect: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    return readSqlite(this.path, inspect);
  }
}

async function readSqlite<T>(path: string, inspect: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  const db = new Sqlite(path, { readonly: true, fileMustExist: true });
  try {
    return await inspect({ kind: 'sqlite', all: async <R>(sql: string) => db.prepare(sql).all() as R[] });
  } finally {
    db.close();
  }
}
