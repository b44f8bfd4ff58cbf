import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs database work with the right isolation for the driver.
 *
 * better-sqlite3 gives TypeORM one connection; two interleaved async transactions on it would silently nest
 * as savepoints. So on SQLite all work is serialised through one queue (SQLite has one writer anyway), which
 * also keeps reads from seeing another request's uncommitted rows. On PostgreSQL each unit of work gets its
 * own pooled connection and transaction, and concurrency is settled by the version checks in the SQL.
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  readonly isSqlite: boolean;

  constructor(readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** One transaction: everything `work` writes commits together or not at all. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => this.dataSource.transaction(work);
    return this.isSqlite ? this.serialise(run) : run();
  }

  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => work(this.dataSource.manager);
    return this.isSqlite ? this.serialise(run) : run();
  }

  private serialise<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
