import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { type DatabaseOptions, defaultCheckpoints, type SqliteSynchronous } from '#persistence';

/** A database a scenario runs on: a fresh SQLite file in a temp dir, or a fresh database on DATABASE_URL's server. */
export interface BenchDatabase {
  label: string;
  kind: 'sqlite' | 'postgres';
  options: DatabaseOptions;
  /** Another fresh database of the same kind and settings (for a baseline beside the engine's). */
  sibling(name: string): Promise<BenchDatabase>;
  drop(): Promise<void>;
}

/** SQLite as the server runs it by default (synchronous=FULL), or with another durability setting (and its default checkpoints). */
export function sqliteBenchDatabase(synchronous: SqliteSynchronous = 'FULL'): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'rk-bench-'));
  return {
    label: `SQLite (synchronous=${synchronous}${synchronous === 'FULL' ? ', the default' : ''})`,
    kind: 'sqlite',
    options: { kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous, checkpoints: defaultCheckpoints(synchronous) },
    sibling: async () => sqliteBenchDatabase(synchronous),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `rk_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    kind: 'postgres',
    options: { kind: 'postgres', url: url.toString(), poolSize: 20 },
    sibling: () => postgresBenchDatabase(serverUrl),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A one-line progress counter on stderr for long phases (a few updates per second at most). */
export function progress(label: string, total: number): (done: number) => void {
  let last = 0;
  const interactive = process.stderr.isTTY;
  return (done) => {
    const now = Date.now();
    if (done < total && now - last < (interactive ? 250 : 5_000)) return;
    last = now;
    const line = `  … ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`;
    if (interactive) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

/** The machine and software a run was measured on, written with its figures. */
export async function environment(postgresUrl: string | undefined): Promise<Record<string, unknown>> {
  const git = (command: string) => {
    try {
      return execSync(`git ${command}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return 'unknown';
    }
  };
  let postgres: string | null = null;
  if (postgresUrl) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    postgres = (await client.query('SHOW server_version')).rows[0].server_version as string;
    await client.end();
  }
  const memory = new Sqlite(':memory:');
  const sqlite = (memory.prepare('select sqlite_version() as v').get() as { v: string }).v;
  memory.close();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    sqlite,
    postgres,
    commit: git('rev-parse --short HEAD'),
    uncommittedChanges: git('status --porcelain') !== '',
  };
}
