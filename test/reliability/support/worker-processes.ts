import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verifyWebhook } from '../../../libs/events/src/webhook-signature.js';

/**
 * Real worker processes (`node dist/apps/worker/src/main.js`, as `npm run worker` starts them) for the reliability
 * suites, a loopback webhook receiver, and a probe that tells which process did a piece of work.
 */

export const WORKER_ENTRY = join(process.cwd(), 'dist', 'apps', 'worker', 'src', 'main.js');

export interface WorkerProcess {
  /** Our name for it; also its PostgreSQL application_name (PGAPPNAME), which the probe records. */
  readonly name: string;
  readonly pid: number;
  /** The scheduler's lease owner, as the worker announces it at start-up. */
  readonly owner: string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** Everything it printed (stdout and stderr, interleaved as read), capped at the last 2 MB. */
  output(): string;
  /** Lines logged at ERROR level. */
  errorLines(): string[];
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not ended after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_CAP = 2 * 1024 * 1024;

/**
 * Starts one worker and resolves once it has announced its scheduler (`Worker <owner> sweeping every …`), i.e.
 * once its database is open and its scheduler and relay are running. Rejects if it ends or stays silent.
 */
export async function startWorker(name: string, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  if (!existsSync(WORKER_ENTRY)) throw new Error(`${WORKER_ENTRY} is missing: run \`npm run build\` first (npm run test:reliability does).`);
  const { NODE_OPTIONS: _jestVmFlag, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, [WORKER_ENTRY], {
    cwd: process.cwd(),
    env: { ...inherited, NO_COLOR: '1', PGAPPNAME: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_CAP) output = output.slice(output.length - OUTPUT_CAP);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const owner = await new Promise<string>((resolve, reject) => {
    const timeout = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`Worker ${name} did not start within ${readyTimeoutMs} ms. Output:\n${output}`));
    }, readyTimeoutMs);
    const poll = setInterval(() => {
      const match = /Worker (\S+) sweeping every/.exec(output);
      if (match) {
        clearTimeout(timeout);
        clearInterval(poll);
        resolve(match[1]);
      }
    }, 25);
    void exited.then(({ code, signal }) => {
      clearTimeout(timeout);
      clearInterval(poll);
      reject(new Error(`Worker ${name} ended during start-up (code ${code}, signal ${signal}). Output:\n${output}`));
    });
  });
  return {
    name,
    pid: child.pid!,
    owner,
    exited,
    isRunning: () => running,
    output: () => output,
    // Workers log JSON lines (LOG_FORMAT=json); `ERROR` is how a pretty or older line says it.
    errorLines: () => output.split('\n').filter((line) => /"level":"(error|fatal)"|\bERROR\b/.test(line)),
    kill: (signal) => {
      if (running) child.kill(signal);
    },
    async stop(graceMs = 15_000) {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface WebhookReceiver {
  url: string;
  /** Receipts per event id (delivery is at least once: more than one is allowed, none is not). */
  readonly receipts: Map<string, number>;
  /** POSTs whose signature did not verify, or whose header and body disagreed on the event id. */
  readonly rejected: () => number;
  close(): Promise<void>;
}

/**
 * A webhook consumer on 127.0.0.1 that checks each POST's signature (as the README's example does) and records the
 * event id; answers 204. `secret` may be set after start (the subscription, and so its secret, needs the URL first).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver & { setSecret(secret: string): void }> {
  const receipts = new Map<string, number>();
  let rejected = 0;
  let secret: string | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-rectification-timestamp'] ?? '');
      const signature = String(req.headers['x-rectification-signature'] ?? '');
      const headerId = String(req.headers['x-rectification-event-id'] ?? '');
      let bodyId: unknown;
      try {
        bodyId = (JSON.parse(body) as { id?: unknown }).id;
      } catch {
        bodyId = undefined;
      }
      if (secret === null || !verifyWebhook(secret, timestamp, body, signature) || bodyId !== headerId) {
        rejected += 1;
        res.writeHead(401).end();
        return;
      }
      receipts.set(headerId, (receipts.get(headerId) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/rectification`,
    receipts,
    rejected: () => rejected,
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * SQL that makes PostgreSQL note which process did what, without touching the engine: each process connects under
 * its own application_name (PGAPPNAME), and triggers copy it, in the same transaction as the work, into
 * `rel_probe`: `fire` for every history row written (a timer firing, when the actor is the system), `publish` for
 * every outbox event marked published, `attempt` for every webhook attempt logged. A rolled-back firing leaves no
 * probe row, so the probe counts only committed work.
 */
export const INSTALL_PROBE_SQL = `
CREATE TABLE rel_probe (
  kind varchar(16) NOT NULL,
  ref varchar(100) NOT NULL,
  detail varchar(100),
  app text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ix_rel_probe_kind_ref ON rel_probe (kind, ref);
CREATE FUNCTION rel_probe_fire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rel_probe (kind, ref, detail, app) VALUES ('fire', NEW.problem_id, NEW.event_type, current_setting('application_name'));
  RETURN NEW;
END $$;
CREATE TRIGGER rel_probe_fire AFTER INSERT ON problem_history FOR EACH ROW WHEN (NEW.actor_role = 'system') EXECUTE FUNCTION rel_probe_fire();
CREATE FUNCTION rel_probe_publish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rel_probe (kind, ref, detail, app) VALUES ('publish', NEW.id, NEW.type, current_setting('application_name'));
  RETURN NEW;
END $$;
CREATE TRIGGER rel_probe_publish AFTER UPDATE ON outbox_events FOR EACH ROW
  WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL) EXECUTE FUNCTION rel_probe_publish();
CREATE FUNCTION rel_probe_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rel_probe (kind, ref, detail, app) VALUES ('attempt', NEW.delivery_id, NEW.succeeded::text, current_setting('application_name'));
  RETURN NEW;
END $$;
CREATE TRIGGER rel_probe_attempt AFTER INSERT ON webhook_attempts FOR EACH ROW EXECUTE FUNCTION rel_probe_attempt();
`;

/** Waits until `check` answers true (polling every `everyMs`); throws with `describe()`'s text after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, describe: () => Promise<string>, everyMs = 250): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
