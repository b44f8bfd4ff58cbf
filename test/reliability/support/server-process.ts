import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/reliability/support/server-process.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** The built server, as `npm start` runs it (`npm run build` first). */
export const SERVER_MAIN = join(REPO_ROOT, 'dist', 'apps', 'server', 'src', 'main.js');

/** A TCP port free on loopback now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How many characters of the server's output are kept for failure messages. */
const LOG_TAIL = 20_000;

/**
 * The real built server (`node dist/apps/server/src/main.js`) as a child process, started, SIGKILLed and started
 * again on the same database and port. Its output is kept (the tail) so a failed start can say why.
 */
export class ServerProcess {
  readonly baseUrl: string;
  /** Times the process was started. */
  starts = 0;
  /** Times it was killed with SIGKILL. */
  kills = 0;
  /** Times it ended by itself (not killed or stopped by us): a crash, or an exit on an error it should ride out. */
  unexpectedExits = 0;
  private ending = false;
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private log = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npm run build\` first (npm run test:reliability does).`);
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last part of what the server printed (across restarts). */
  get output(): string {
    return this.log;
  }

  /** Starts the server and waits until /health answers 200; fails with the server's output if it does not. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.child) throw new Error('The server is already running');
    const child = spawn(process.execPath, [SERVER_MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.starts += 1;
    this.append(`\n--- start #${this.starts} (pid ${child.pid}) ---\n`);
    const append = (chunk: Buffer) => this.append(chunk.toString('utf8'));
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    let exitCode: string | null = null;
    this.exited = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        exitCode = signal ?? String(code);
        if (!this.ending) {
          this.unexpectedExits += 1;
          if (this.child === child) this.child = null;
        }
        this.ending = false;
        this.append(`\n--- exited (${exitCode}) ---\n`);
        done();
      }),
    );
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exitCode !== null) {
        this.child = null;
        throw new Error(`The server exited (${exitCode}) while starting:\n${this.log.slice(-4000)}`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    await this.kill();
    throw new Error(`The server did not answer /health within ${timeoutMs} ms:\n${this.log.slice(-4000)}`);
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.kills += 1;
    this.ending = true;
    child.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** SIGTERM (the shutdown hooks run: scheduler and relay finish their round); SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.ending = true;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      this.exited!.then(() => true),
      new Promise<boolean>((done) => {
        timer = setTimeout(() => done(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!gone) {
      child.kill('SIGKILL');
      await this.exited;
    }
    this.child = null;
  }

  private append(text: string): void {
    this.log = (this.log + text).slice(-LOG_TAIL);
  }
}
