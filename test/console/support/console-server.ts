import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from '../../reliability/support/server-process.js';

/** The admin's one-time password the test server starts with (the server prints that it was given, not the value). */
export const ADMIN_ONE_TIME_PASSWORD = 'console-admin-2026';
/** Wrong passwords in a row before an account locks: small, so the lock-out journey is quick. */
export const MAX_FAILURES = 3;

const BUILD = join(REPO_ROOT, 'dist');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * A copy of the build (server and console), taken once it is whole: index.html and every asset it names. The
 * suite runs the copy, so a rebuild while it runs (`vite build` empties dist/console first) cannot pull the
 * console from under a browser mid-journey. Its node_modules is the repository's, and its package.json too (the
 * built files import each other through the package's aliases, #domain …, which node resolves from it).
 */
async function snapshotBuild(into: string): Promise<string> {
  const index = join(BUILD, 'console', 'index.html');
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (!existsSync(join(BUILD, 'apps', 'server', 'src', 'main.js')) || !existsSync(index)) throw new Error('no build');
      const assets = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]);
      if (!assets.every((asset) => existsSync(join(BUILD, 'console', asset)))) throw new Error('a build in progress');
      cpSync(BUILD, join(into, 'dist'), { recursive: true });
      if (!existsSync(join(into, 'dist', 'console', 'index.html'))) throw new Error('a build in progress');
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
      cpSync(join(REPO_ROOT, 'package.json'), join(into, 'package.json'));
      return join(into, 'dist', 'apps', 'server', 'src', 'main.js');
    } catch (error) {
      if (attempt >= 50) throw new Error(`No whole build in ${BUILD} (${(error as Error).message}): run \`npm run build\` first (npm run test:console does).`);
      rmSync(join(into, 'dist'), { recursive: true, force: true });
      rmSync(join(into, 'node_modules'), { force: true });
      rmSync(join(into, 'package.json'), { force: true });
    }
    await sleep(200); // a build is being written: wait for it to finish
  }
}

/**
 * The built server (`npm start` without the rebuild) on a fresh SQLite file and evidence folder, on a free port,
 * over plain HTTP (so the session cookie is not `Secure`). Its first-start message gives the admin's API token,
 * which seeds the organisation, as the README's quick start tells a person to read it.
 */
export class ConsoleServer {
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly workDir: string,
    readonly baseUrl: string,
  ) {}

  /** What the server printed, for failure messages and the first-start check. */
  get output(): string {
    return this.log;
  }

  /** The admin's API token, as the server printed it on first start. */
  get adminToken(): string {
    const token = /Admin API token: (\S+)/.exec(this.log)?.[1];
    if (!token) throw new Error(`The server did not print the admin's API token on first start:\n${this.log}`);
    return token;
  }

  static async start(env: Record<string, string> = {}): Promise<ConsoleServer> {
    const workDir = mkdtempSync(join(tmpdir(), 'rk-console-'));
    const main = await snapshotBuild(workDir);
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        DATABASE_PATH: join(workDir, 'console.sqlite'),
        EVIDENCE_DIR: join(workDir, 'evidence'),
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN_ONE_TIME_PASSWORD,
        SESSION_COOKIE_SECURE: 'false',
        SIGN_IN_MAX_FAILURES: String(MAX_FAILURES),
        // Live updates travel through the outbox relay: a short round keeps the journeys quick.
        EVENT_RELAY_INTERVAL_MS: '100',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exitCode: string | null = null;
    const exited = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        exitCode = signal ?? String(code);
        done();
      }),
    );
    const server = new ConsoleServer(child, exited, workDir, `http://127.0.0.1:${port}`);
    const append = (chunk: Buffer) => {
      server.log = (server.log + chunk.toString('utf8')).slice(-50_000);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exitCode !== null) {
        rmSync(workDir, { recursive: true, force: true });
        throw new Error(`The server exited (${exitCode}) while starting:\n${server.log}`);
      }
      try {
        const response = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        if (response.status === 200) return server;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    await server.stop();
    throw new Error(`The server did not answer /health within 60 s:\n${server.log}`);
  }

  /** SIGTERM, as a person stops it (SIGKILL if it has not gone in 15 s), then its files are removed. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
