import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { type DemoOrganisation, IdentityService, seedDemoOrganisation } from '#identity';
import type { DatabaseOptions } from '#persistence';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface BenchServer {
  baseUrl: string;
  process: ChildProcess;
  /** Server memory in bytes after a full garbage collection (asked over the IPC channel of bench/support/gc-probe). */
  memoryAfterGc(): Promise<{ rss: number; heapUsed: number; external: number }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The demo organisation written into the database before the server starts (its tokens are known only here). */
export async function seedOrganisation(database: DatabaseOptions): Promise<DemoOrganisation & { adminToken: string }> {
  const context = await NestFactory.createApplicationContext(CliModule.forRoot({ database }), { logger: ['error'] });
  try {
    const identity = context.get(IdentityService);
    const admin = await identity.bootstrapAdmin();
    const org = await seedDemoOrganisation(identity);
    return { ...org, adminToken: admin!.token };
  } finally {
    await context.close();
  }
}

/**
 * The built server (`node dist/apps/server/src/main.js`, as `npm start` runs it) as a child process on `database`,
 * with its scheduler and relay in-process as configured by default, rate limits out of the way.
 */
export async function startServer(database: DatabaseOptions, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const evidenceDir = mkdtempSync(join(tmpdir(), 'rk-bench-evidence-'));
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      // BENCH_PROFILE_DIR=dir: the server writes a V8 CPU profile there when it stops (where the time goes).
      ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
      '--import',
      join(ROOT, 'dist/bench/support/gc-probe.js'),
      join(ROOT, 'dist/apps/server/src/main.js'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '10000000',
        EVIDENCE_DIR: evidenceDir,
        IMPORT_MAX_ROWS: '10000',
        IMPORT_MAX_BYTES: String(50 * 1024 * 1024),
        ...(database.kind === 'sqlite'
          ? { DATABASE_PATH: database.path, SQLITE_SYNCHRONOUS: database.synchronous, DATABASE_URL: '' }
          : { DATABASE_URL: database.url }),
        ...env,
      },
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The server did not start in 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    process: child,
    memoryAfterGc: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('No memory report from the server')), 30_000);
        child.once('message', (message: { rss: number; heapUsed: number; external: number }) => {
          clearTimeout(timer);
          resolve(message);
        });
        child.send('measure');
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(evidenceDir, { recursive: true, force: true });
    },
  };
}
