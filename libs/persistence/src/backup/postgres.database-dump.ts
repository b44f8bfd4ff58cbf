import { spawn } from 'node:child_process';
import pg from 'pg';
import { BackupError } from './backup.errors.js';
import { DatabaseDump, type SnapshotReader } from './database-dump.port.js';

/**
 * PostgreSQL: `pg_dump` in plain SQL format, restored with `psql` into an empty database. The dump runs on a
 * snapshot exported by a REPEATABLE READ transaction that also reads the manifest's facts, so the dump and the
 * manifest describe the same instant while the servers go on writing.
 */
export class PostgresDatabaseDump extends DatabaseDump {
  readonly kind = 'postgres';
  readonly fileName = 'database.sql';

  constructor(private readonly url: string) {
    super();
  }

  async dump<T>(file: string, inspect: (snapshot: SnapshotReader) => Promise<T>): Promise<T> {
    const client = await connect(this.url);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
      // The exported snapshot lives as long as this transaction: commit only after pg_dump has finished.
      const dumped = runTool('pg_dump', ['--format=plain', '--no-owner', '--no-privileges', `--snapshot=${rows[0].snapshot}`, `--file=${file}`, `--dbname=${this.url}`], 'BACKUP.DUMP_FAILED');
      const [facts] = await Promise.all([inspect(reader(client)), dumped]);
      await client.query('COMMIT');
      return facts;
    } finally {
      await client.end();
    }
  }

  async notEmpty(): Promise<string | null> {
    const tables = await this.read((db) =>
      db.all<{ name: string }>(
        "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      ),
    );
    if (tables.length === 0) return null;
    const names = tables.slice(0, 5).map((table) => table.name);
    return `the PostgreSQL database has ${tables.length} table(s) (${names.join(', ')}${tables.length > names.length ? ', …' : ''})`;
  }

  load(file: string): Promise<void> {
    return runTool(
      'psql',
      ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--single-transaction', `--file=${file}`, `--dbname=${this.url}`],
      'BACKUP.LOAD_FAILED',
    );
  }

  async read<T>(inspect: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    const client = await connect(this.url);
    try {
      return await inspect(reader(client));
    } finally {
      await client.end();
    }
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost meanwhile (a restart, pg_terminate_backend) fails the statement in flight, which reports it;
  // without a listener the client's 'error' event would also end the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function reader(client: pg.Client): SnapshotReader {
  return { kind: 'postgres', all: async <R>(sql: string) => (await client.query(sql)).rows as R[] };
}

/** Runs pg_dump/psql; a non-zero exit (or no such program) is an error carrying the tool's last words. */
function runTool(command: string, args: string[], code: 'BACKUP.DUMP_FAILED' | 'BACKUP.LOAD_FAILED'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', (error) => reject(new BackupError(code, `${command} could not be started (${error.message}): install the PostgreSQL client tools.`)));
    child.on('close', (exit, signal) => {
      if (exit === 0) resolve();
      else reject(new BackupError(code, `${command} failed (${signal ?? `exit code ${exit}`}): ${stderr.trim() || 'no message'}`));
    });
  });
}
