import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export const SQLITE_SYNCHRONOUS_LEVELS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_LEVELS)[number];

export type DatabaseOptions =
  | { kind: 'sqlite'; path: string; synchronous: SqliteSynchronous }
  | { kind: 'postgres'; url: string; poolSize?: number };

export function createDataSource(options: DatabaseOptions): DataSource {
  if (options.kind === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: options.url,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      extra: { max: options.poolSize ?? 10 },
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

/** Opens the database and applies pending migrations, as the server does at start-up. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  return dataSource;
}
