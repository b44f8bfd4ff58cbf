import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Who copies SQLite's write-ahead log back into the database file: the connection that commits (`inline`, SQLite's
 * own way: the commit that crosses 1,000 pages does it, stalling the event loop for that commit) or a thread of its
 * own (`background`).
 */
export const WAL_CHECKPOINT_MODES = ['inline', 'background'] as const;
export type WalCheckpoints = (typeof WAL_CHECKPOINT_MODES)[number];

/**
 * The default for a durability setting. With NORMAL (or OFF) a commit does not wait for the disk, so the checkpoint
 * is most of what the disk does, and it pays to do it on another core. With FULL (or EXTRA) every commit already
 * syncs the log; measured here, a checkpointing thread competes with those syncs and gains nothing.
 */
export function defaultCheckpoints(synchronous: string): WalCheckpoints {
  return synchronous === 'NORMAL' || synchronous === 'OFF' ? 'background' : 'inline';
}

/** How often the thread copies what the log holds into the database file (PASSIVE: it never blocks a writer). */
const INTERVAL_MS = 100;
/**
 * A passive checkpoint never rewinds the log while writes keep coming, so under sustained writing it would grow
 * without end. Past this many pages (64 MiB of 4 KiB pages) the thread rewinds it (RESTART), which holds the writers
 * for the few pages written since its last pass and one sync.
 */
const RESTART_PAGES = 16_384;
/** The committing connection's own threshold while the thread runs: a backstop should the thread fall behind. */
const BACKSTOP_PAGES = 2 * RESTART_PAGES;
/** SQLite's default threshold, restored when the thread stops or fails. */
const INLINE_PAGES = 1_000;

/** The thread's code (a CommonJS script: worker_threads evaluates it without a file of its own, in tests too). */
const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const fail = (error) => {
  parentPort.postMessage({ kind: 'failed', message: String((error && error.message) || error) });
  parentPort.close();
};
function run(db) {
  let passes = 0;
  let restarts = 0;
  const timer = setInterval(() => {
    try {
      const [pass] = db.pragma('wal_checkpoint(PASSIVE)');
      passes += 1;
      if (pass.log >= workerData.restartPages && db.pragma('wal_checkpoint(RESTART)')[0].busy === 0) restarts += 1;
    } catch (error) {
      clearInterval(timer);
      db.close();
      fail(error);
    }
  }, workerData.intervalMs);
  parentPort.on('message', (message) => {
    if (message === 'counts') {
      parentPort.postMessage({ kind: 'counts', passes, restarts });
      return;
    }
    clearInterval(timer);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      db.close();
      parentPort.close();
    }
  });
}
let opened = null;
try {
  opened = new Database(workerData.path, { fileMustExist: true });
  opened.pragma('busy_timeout = 20');
} catch (error) {
  fail(error);
}
if (opened) run(opened);
`;

/** The committing connection (better-sqlite3's), as far as the checkpointer touches it. */
export interface CheckpointedConnection {
  readonly open: boolean;
  pragma(source: string): unknown;
}

/**
 * Checkpoints an SQLite database from a worker thread with a connection of its own, so commits on the event loop
 * only append to the log. If the thread fails, the committing connection checkpoints inline again (and says so).
 */
export class SqliteCheckpointer {
  private readonly logger = new Logger('Database');
  private stopping = false;
  private ended = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly connection: CheckpointedConnection,
  ) {
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.ended = true;
        resolve();
      }),
    );
    worker.on('message', (message: { kind: string; message?: string }) => {
      if (message.kind === 'failed') this.checkpointInline(`the checkpoint thread failed: ${message.message}`);
    });
    worker.on('error', (error: unknown) => this.checkpointInline(`the checkpoint thread failed: ${(error as Error | undefined)?.message ?? String(error)}`));
    worker.once('exit', () => {
      if (!this.stopping) this.checkpointInline('the checkpoint thread ended');
    });
  }

  /**
   * Starts checkpointing the database at `path` (a file: an in-memory database has no log) in the background.
   * `pace` is for tests: how often the thread passes and after how many pages it rewinds the log.
   */
  static start(path: string, connection: CheckpointedConnection, pace: { intervalMs?: number; restartPages?: number } = {}): SqliteCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { driver, path, intervalMs: pace.intervalMs ?? INTERVAL_MS, restartPages: pace.restartPages ?? RESTART_PAGES },
    });
    // The thread never keeps a process alive that has nothing else to do.
    worker.unref();
    connection.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    return new SqliteCheckpointer(worker, connection);
  }

  /** Whether the thread still runs (it ends when stopped, or when it fails). */
  get running(): boolean {
    return !this.ended;
  }

  /** How many passes and rewinds the thread has made (for tests and diagnosis). */
  counts(): Promise<{ passes: number; restarts: number }> {
    if (this.ended || this.stopping) return Promise.reject(new Error('The checkpoint thread has stopped.'));
    // Held while the answer is awaited, like stop().
    this.worker.ref();
    return new Promise((resolve) => {
      const answer = (message: { kind: string; passes: number; restarts: number }) => {
        if (message.kind !== 'counts') return;
        this.worker.off('message', answer);
        if (!this.stopping) this.worker.unref();
        resolve({ passes: message.passes, restarts: message.restarts });
      };
      this.worker.on('message', answer);
      this.worker.postMessage('counts');
    });
  }

  /** Makes a last pass and ends the thread; the committing connection checkpoints inline from now on. */
  async stop(): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    // Held until it has ended: an unreferenced thread and nothing else to do would let the process exit mid-stop.
    this.worker.ref();
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, 2_000, false)))]);
    clearTimeout(timer);
    if (!ended) await this.worker.terminate();
    if (this.connection.open) this.connection.pragma(`wal_autocheckpoint = ${INLINE_PAGES}`);
  }

  private checkpointInline(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.connection.open) this.connection.pragma(`wal_autocheckpoint = ${INLINE_PAGES}`);
    this.logger.warn(`${reason}; commits checkpoint the log themselves from now on`);
  }
}
