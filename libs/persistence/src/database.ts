import { createHash } from 'node:crypto';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';

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
interface PgPool extends PgQueryable {
  connect(): Promise<PgQueryable & { query(text: string): Promise<unknown>; release(error?: Error | boolean): void }>;
}

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
    const run = () => this.dataSource.transaction(work);
    return this.isSqlite ? this.serialise(run) : run();
  }

  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => work(this.dataSource.manager);
    return this.isSqlite ? this.serialise(run) : run();
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
    return work(this.pgSession(this.pgPool()));
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

  private async pgTransaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pgPool().connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(this.pgSession(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      // A connection whose rollback failed is discarded, not handed to the next unit of work.
      client.release(broken ?? false);
    }
  }
}

/** Driver errors surface as TypeORM's QueryFailedError (with the driver's code), as on the ORM paths. */
function failsAsQuery<T>(sql: string, params: readonly unknown[], run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new QueryFailedError(sql, [...params], error as Error);
  }
}
