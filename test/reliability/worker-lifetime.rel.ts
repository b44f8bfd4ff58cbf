import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '#persistence';
import { startWorker, WORKER_ENTRY, waitUntil, type WorkerProcess } from './support/worker-processes.js';

/**
 * The built worker (`npm run worker`) as an orchestrator sees it: alive between sweeps however long its interval,
 * alive through its database connections being terminated, and on a database it must not run on (none of that
 * name, migrated by a newer version) ended at once, non-zero, with the reason in its log.
 *
 * PostgreSQL at TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is required: unreachable, the suite
 * fails. Only this suite's own databases are touched.
 */
const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Longer than the pool keeps an idle connection (10 s): nothing of the database's keeps the process alive meanwhile. */
const LONG_INTERVAL_MS = 20_000;

function urlOf(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs the worker until it ends by itself (killed after `timeoutMs`): its exit code and everything it printed. */
function runUntilExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  const { NODE_OPTIONS: _jestVmFlag, ...inherited } = process.env;
  const child = spawn(process.execPath, [WORKER_ENTRY], { env: { ...inherited, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The worker's log line at level fatal, parsed. */
function fatalLine(output: string): { level: string; msg: string } | undefined {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .find((line) => line.level === 'fatal');
}

describe('A worker process on PostgreSQL: alive between sweeps and through lost connections, ended with a reason when it must not run', () => {
  const suffix = randomBytes(4).toString('hex');
  const liveDb = `rk_rel_life_${suffix}`;
  const newerDb = `rk_rel_newer_${suffix}`;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    await admin(async (client) => {
      await client.query(`CREATE DATABASE ${liveDb}`);
      await client.query(`CREATE DATABASE ${newerDb}`);
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${liveDb} WITH (FORCE)`);
      await client.query(`DROP DATABASE IF EXISTS ${newerDb} WITH (FORCE)`);
    });
  });

  it('stays alive with a long interval past the pool\'s idle timeout and through its connections being terminated, then sweeps again', async () => {
    // given a worker sweeping, relaying and notifying every 20 s
    const name = `rel-life-${suffix}`;
    worker = await startWorker(name, {
      DATABASE_URL: urlOf(liveDb),
      SCHEDULER_INTERVAL_MS: String(LONG_INTERVAL_MS),
      EVENT_RELAY_INTERVAL_MS: String(LONG_INTERVAL_MS),
      NOTIFY_INTERVAL_MS: String(LONG_INTERVAL_MS),
      LOG_LEVEL: 'log',
    });
    const started = Date.now();
    const itsBackends = (client: pg.Client) =>
      client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [liveDb, name]);

    // when its connections are terminated (each call waits until its backend has gone)
    await admin((client) =>
      client.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [liveDb]),
    );

    // then it listens for the other servers again at once and catches up through its pool, and those connections
    // are let go once idle: nothing holds the database open before its first sweep
    const reconnected = () => worker!.output().includes("Listening for other servers' events again");
    await waitUntil(async () => reconnected(), 10_000, async () => `the cluster bus did not listen again. Output:\n${worker!.output()}`);
    await waitUntil(
      () => admin(async (client) => Number((await itsBackends(client)).rows[0].n) === 0),
      15_000,
      async () => `its pool kept connections past the idle timeout. Output:\n${worker!.output()}`,
    );
    expect(Date.now() - started).toBeLessThan(LONG_INTERVAL_MS - 1_000);

    // then it is still running, and at its first round it connects again
    expect(worker.isRunning()).toBe(true);
    await waitUntil(
      () => admin(async (client) => Number((await itsBackends(client)).rows[0].n) > 0),
      LONG_INTERVAL_MS + 15_000,
      async () => `the worker did not connect again (running: ${worker!.isRunning()}). Output:\n${worker!.output()}`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(LONG_INTERVAL_MS - 1_000);
    expect(worker.isRunning()).toBe(true);
    expect(worker.errorLines()).toEqual([]);
  }, 90_000);

  it('exits non-zero at once, with the reason logged, when its database does not exist', async () => {
    const { code, output } = await runUntilExit({ DATABASE_URL: urlOf(`rk_rel_missing_${suffix}`), LOG_FORMAT: 'json' });
    expect(code).toBe(1);
    expect(fatalLine(output)?.msg).toMatch(/^Cannot start: Cannot open the database: the database named in DATABASE_URL does not exist/);
  }, 30_000);

  it('exits non-zero, with the reason logged, on a database a newer version has migrated', async () => {
    // given a database with every migration of this version and one it does not know
    const dataSource = await openDatabase({ kind: 'postgres', url: urlOf(newerDb) });
    await dataSource.destroy();
    await admin((client) => client.query("INSERT INTO migrations (timestamp, name) VALUES (9999999999999, 'FromANewerVersion9999999999999')"), urlOf(newerDb));

    // when / then
    const { code, output } = await runUntilExit({ DATABASE_URL: urlOf(newerDb), LOG_FORMAT: 'json' });
    expect(code).toBe(1);
    expect(fatalLine(output)?.msg).toMatch(/migrated by a newer version .*FromANewerVersion9999999999999/);
  }, 30_000);
});
