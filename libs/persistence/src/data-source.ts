import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseStartError, fatalDatabaseReason, isDatabaseUnreachable, pause } from './database-outage.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { WalCheckpoints } from './sqlite-checkpointer.js';

export const SQLITE_SYNCHRONOUS_LEVELS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_LEVELS)[number];

export type DatabaseOptions =
  | {
      kind: 'sqlite';
      path: string;
      synchronous: SqliteSynchronous;
      /** Who checkpoints the write-ahead log (SQLITE_CHECKPOINTS); inline when absent. */
      checkpoints?: WalCheckpoints;
    }
  | { kind: 'postgres'; url: string; poolSize?: number };

/** How long a connection attempt, or a wait for a free pooled connection, may take before it counts as an outage. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long a start waits for a database that does not answer yet (restarting, or a container starting beside it). */
const START_WAIT_MS = 30_000;

const logger = new Logger('Database');

/**
 * pg's pool listens for a connection's 'error' only while the connection is idle in it: one in use (a transaction
 * between two statements) that PostgreSQL ends (a restart, pg_terminate_backend) would emit 'error' with nobody
 * listening, and Node would end the process. So every connection listens for itself: what was using it fails (a
 * request answers 503) and the pool drops it when it comes back.
 */
class ListeningClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error) => logger.warn(`A database connection in use was lost (${error.message}); what was using it fails, a new one is opened when needed`));
  }
}

export function createDataSource(options: DatabaseOptions): DataSource {
  if (options.kind === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: options.url,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      connectTimeoutMS: CONNECT_TIMEOUT_MS,
      // Idle connections are dropped by the pool when they fail (a restart, pg_terminate_backend); saying so is all
      // that is left to do. Without a listener the pool's 'error' event would end the process.
      poolErrorHandler: (error: Error) => logger.warn(`An idle database connection was lost (${error.message}); a new one is opened when needed`),
      // Keep-alive probes find a connection whose peer vanished without a word (a host or network gone).
      extra: { max: options.poolSize ?? 10, keepAlive: true, Client: ListeningClient },
    });
  }
  return new DataSource({
    type: 'better-sqlite3',
    database: options.path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    prepareDatabase: (db: {
      pragma(source: string): unknown;
      function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
    }) => {
      // WAL lets readers proceed while a write commits; `synchronous` trades durability on power loss
      // (never on process crash) for commit speed, and is a documented setting (SQLITE_SYNCHRONOUS).
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous}`);
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // SQLite's built-in LOWER folds ASCII only, so text search would match 'öl' against 'ÖL' on PostgreSQL but
      // not here. Replaced by JavaScript's Unicode case folding, the same folding applied to the search text.
      db.function('lower', { deterministic: true }, (value) => (typeof value === 'string' ? value.toLowerCase() : value));
    },
  });
}

/**
 * Opens the database and applies pending migrations, as the server does at start-up. A database that does not
 * answer yet is waited for (START_WAIT_MS); one that refuses (credentials, no such database) or was migrated by a
 * newer version stops the start with a DatabaseStartError saying what to do.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await initialiseWaiting(dataSource);
  const { unknown } = await migrationStatus(dataSource);
  if (unknown.length > 0) {
    await dataSource.destroy();
    throw new DatabaseStartError(
      `The database was migrated by a newer version of this software (migrations unknown here: ${unknown.join(', ')}). ` +
        'Run that version, or restore a backup taken before the upgrade.',
    );
  }
  await migrateExclusively(dataSource);
  return dataSource;
}

/** The advisory lock key migrations hold on PostgreSQL ('rk-migrate' as a number; any constant would do). */
const MIGRATION_LOCK_KEY = 0x726b6d67;

/**
 * Applies pending migrations. Several servers and workers starting together on one PostgreSQL database take turns
 * through an advisory lock held on a connection of its own: the first applies them, the others then find nothing
 * pending (without it, the second would fail creating a table the first had just created). SQLite has one process.
 */
export async function migrateExclusively(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

async function initialiseWaiting(dataSource: DataSource): Promise<void> {
  const deadline = Date.now() + START_WAIT_MS;
  for (let backoff = 250; ; backoff = Math.min(2 * backoff, 5_000)) {
    try {
      await dataSource.initialize();
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const fatal = fatalDatabaseReason(error);
      if (fatal) throw new DatabaseStartError(`Cannot open the database: ${fatal} (${message}).`, { cause: error });
      if (!isDatabaseUnreachable(error)) throw new DatabaseStartError(`Cannot open the database: ${message}.`, { cause: error });
      if (Date.now() + backoff > deadline) {
        throw new DatabaseStartError(`Cannot open the database: it did not answer for ${START_WAIT_MS / 1000} s (${message}).`, { cause: error });
      }
      logger.warn(`The database does not answer yet (${message}); trying again in ${backoff} ms`);
      await pause(backoff);
    }
  }
}

/** Migrations this code has that the database has not applied (`pending`), and the reverse (`unknown`). */
export async function migrationStatus(dataSource: DataSource): Promise<{ pending: string[]; unknown: string[] }> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const runner = dataSource.createQueryRunner();
  let applied: string[];
  try {
    applied = (await runner.hasTable(table)) ? ((await runner.query(`SELECT name FROM ${table}`)) as Array<{ name: string }>).map((row) => row.name) : [];
  } finally {
    await runner.release();
  }
  const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  return { pending: known.filter((name) => !applied.includes(name)), unknown: applied.filter((name) => !known.includes(name)) };
}
