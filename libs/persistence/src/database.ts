import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError, isDatabaseUnreachable, pause, withinMs } from './database-outage.js';

/**
 * Plain SQL on the hot paths, with `?` placeholders on either database. Statements are prepared once and reused
 * (better-sqlite3 statement cache; PostgreSQL named statements), rows come back as the driver gives them.
 */
export interface SqlSession {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; answers how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  inTransaction: boolean;
}
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
type PgClient = PgQueryable & {
  query(text: string): Promise<unknown>;
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
};
type PgPool = PgQueryable & {
  query(text: string): Promise<unknown>;
  connect(): Promise<PgClient>;
};

/**
 * How long one unit of work on PostgreSQL waits out a lost connection (retrying with backoff where that is safe)
 * before its caller hears DATABASE.UNAVAILABLE: a restart's blip is ridden out, an outage does not pile requests up.
 */
const OUTAGE_BUDGET_MS = 3_000;
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1_000;

/**
 * Runs database work with the right isolation for the driver.
 *
 * better-sqlite3 gives TypeORM one connection; two interleaved async transactions on it would silently nest
 * as savepoints. So on SQLite all work is serialised through one queue (SQLite has one writer anyway), which
 * also keeps reads from seeing another request's uncommitted rows. On PostgreSQL each unit of work gets its
 * own pooled connection and transaction, and concurrency is settled by the version checks in the SQL.
 *
 * Two ways in: TypeORM's EntityManager (`read`/`write`) for everything, and a prepared-statement SqlSession
 * (`sqlRead`/`sqlWrite`) for the per-event hot paths, where the ORM's query building and entity hydration
 * would cost more than the database work itself. Both go through the same queue and the same pool.
 *
 * On PostgreSQL a lost connection (a restart, pg_terminate_backend) is retried with backoff where that is safe —
 * reads, and a write whose connection or BEGIN failed — within OUTAGE_BUDGET_MS; past it, or for a write lost
 * after it began, the caller gets DatabaseUnavailableError, saying whether the write may have been stored.
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  readonly isSqlite: boolean;
  private readonly sqliteStatements = new Map<string, SqliteStatement>();
  private readonly pgStatements = new Map<string, { name: string; text: string }>();

  constructor(readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** One transaction: everything `work` writes commits together or not at all. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.serialise(() => this.dataSource.transaction(work));
    return this.ridingOut(() => this.pgEntityTransaction(work));
  }

  /** Reads only: on PostgreSQL it is run again after a lost connection. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => work(this.dataSource.manager);
    return this.isSqlite ? this.serialise(run) : this.ridingOut(run);
  }

  /** Milliseconds the database took to answer a trivial query; throws when it did not within `timeoutMs`. No retries. */
  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    const answered = this.isSqlite ? this.serialise(async () => this.sqlite('SELECT 1').all()) : this.pgPool().query('SELECT 1');
    await withinMs(answered, timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return Math.round(performance.now() - started);
  }

  /** A boolean as this driver binds it (better-sqlite3 takes 1 and 0). */
  sqlBoolean(value: boolean): boolean | number {
    return this.isSqlite ? Number(value) : value;
  }

  /** One transaction of prepared statements: commits when `work` resolves, rolls back when it throws. */
  sqlWrite<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.isSqlite) {
      return this.serialise(async () => {
        const connection = this.sqliteConnection();
        this.sqlite('BEGIN IMMEDIATE').run();
        try {
          const result = await work(this.sqliteSession());
          this.sqlite('COMMIT').run();
          return result;
        } catch (error) {
          if (connection.inTransaction) this.sqlite('ROLLBACK').run();
          throw error;
        }
      });
    }
    return this.pgTransaction(work);
  }

  /** Reads with prepared statements (no transaction of their own). */
  sqlRead<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.serialise(() => work(this.sqliteSession()));
    return this.ridingOut(() => work(this.pgSession(this.pgPool())));
  }

  /**
   * Runs `attempt` again after a lost connection, with jittered backoff, while OUTAGE_BUDGET_MS lasts; then the
   * loss becomes DatabaseUnavailableError. An attempt that must not be repeated throws that error itself.
   */
  private async ridingOut<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + OUTAGE_BUDGET_MS;
    for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(2 * backoff, MAX_BACKOFF_MS)) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof DatabaseUnavailableError || !isDatabaseUnreachable(error)) throw error;
        const wait = backoff * (0.5 + Math.random() / 2);
        if (Date.now() + wait > deadline) throw new DatabaseUnavailableError(undefined, error);
        await pause(wait);
      }
    }
  }

  /** TypeORM's transaction, but knowing how far it got when the connection is lost (see lostDuring). */
  private async pgEntityTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    // TypeORM releases a runner whose connection emitted 'error'; its next statement then fails with
    // QueryRunnerAlreadyReleasedError, which says nothing of the connection: a runner released under us was lost.
    const lost = (error: unknown) => (runner.isReleased ? new Error('Connection terminated under a transaction', { cause: error }) : error);
    try {
      try {
        await runner.connect();
        await runner.startTransaction();
      } catch (error) {
        // Retried when the connection was lost: nothing was done yet.
        throw lost(error);
      }
      let result: T;
      try {
        result = await work(runner.manager);
      } catch (error) {
        if (!runner.isReleased) await runner.rollbackTransaction().catch(() => undefined);
        throw lostDuring('not-saved', lost(error));
      }
      try {
        await runner.commitTransaction();
      } catch (error) {
        if (!runner.isReleased && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw lostDuring('unknown', lost(error));
      }
      return result;
    } finally {
      await runner.release();
    }
  }

  private serialise<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private sqliteConnection(): SqliteConnection {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  private sqlite(sql: string): SqliteStatement {
    let statement = this.sqliteStatements.get(sql);
    if (!statement) {
      statement = this.sqliteConnection().prepare(sql);
      this.sqliteStatements.set(sql, statement);
    }
    return statement;
  }

  private sqliteSession(): SqlSession {
    return {
      all: async <T>(sql: string, params: readonly unknown[] = []) => failsAsQuery(sql, params, () => this.sqlite(sql).all(...params) as T[]),
      run: async (sql: string, params: readonly unknown[] = []) =>
        failsAsQuery(sql, params, () => {
          const statement = this.sqlite(sql);
          // A statement returning rows (… RETURNING) is run with all(); its row count is what it changed.
          return statement.reader ? statement.all(...params).length : statement.run(...params).changes;
        }),
    };
  }

  private pgPool(): PgPool {
    return (this.dataSource.driver as unknown as { master: PgPool }).master;
  }

  /** `?` placeholders numbered for PostgreSQL, and a stable statement name so each connection prepares it once. */
  private pgStatement(sql: string): { name: string; text: string } {
    let statement = this.pgStatements.get(sql);
    if (!statement) {
      let index = 0;
      const text = sql.replace(/\?/g, () => `$${++index}`);
      statement = { name: `rk_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
      this.pgStatements.set(sql, statement);
    }
    return statement;
  }

  private pgSession(client: PgQueryable): SqlSession {
    const query = async (sql: string, params: readonly unknown[]) => {
      try {
        return await client.query({ ...this.pgStatement(sql), values: [...params] });
      } catch (error) {
        throw new QueryFailedError(sql, [...params], error as Error);
      }
    };
    return {
      all: async <T>(sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rows as T[],
      run: async (sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rowCount ?? 0,
    };
  }

  private pgTransaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.ridingOut(async () => {
      const client = await this.pgPool().connect();
      let broken: Error | undefined;
      // A checked-out client has no listener of the pool's: a connection lost between two statements would be an
      // unhandled 'error' event, which ends the process. The statement in flight fails with it anyway.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        try {
          await client.query('BEGIN');
        } catch (error) {
          // Retried when the connection was lost: nothing was done yet.
          broken = error as Error;
          throw error;
        }
        let result: T;
        try {
          result = await work(this.pgSession(client));
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw lostDuring('not-saved', error);
        }
        try {
          await client.query('COMMIT');
        } catch (error) {
          broken ??= error as Error;
          throw lostDuring('unknown', error);
        }
        return result;
      } finally {
        client.removeListener('error', onError);
        // A connection that failed is discarded, not handed to the next unit of work.
        client.release(broken ?? false);
      }
    });
  }
}

/**
 * A write whose connection was lost after BEGIN is not run again here: before COMMIT was sent PostgreSQL rolled it
 * back (`not-saved`), after it the outcome is `unknown`; either way the caller decides, and a retry of an applied
 * change is refused by its version check.
 */
function lostDuring(outcome: 'not-saved' | 'unknown', error: unknown): unknown {
  return isDatabaseUnreachable(error) && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(outcome, error) : error;
}

/** Driver errors surface as TypeORM's QueryFailedError (with the driver's code), as on the ORM paths. */
function failsAsQuery<T>(sql: string, params: readonly unknown[], run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new QueryFailedError(sql, [...params], error as Error);
  }
}
