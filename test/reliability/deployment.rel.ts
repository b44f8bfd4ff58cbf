import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { reportFigures, scaled } from './support/reliability-scale.js';
import {
  ADMIN_TOKEN,
  adminPost,
  between,
  check,
  createOrganisation,
  drain,
  DRAIN_TIMEOUT_MS,
  Load,
  newTraffic,
  pgReader,
  sleep,
} from './support/load.js';
import { freePort, ServerProcess } from './support/server-process.js';
import { type Followed, StreamFollower } from './support/stream-follower.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { startWorker, type WorkerProcess } from './support/worker-processes.js';

/**
 * The README's deployment for an organisation that outgrew one machine ("Running several servers"), tested as a
 * whole: two built servers (`dist/apps/server`, scheduler and relay off) and two workers (`dist/apps/worker`) on
 * one PostgreSQL database, a webhook receiver on loopback, and an admin's live stream on each server. Clients file
 * problems and drive them through their lives through both servers while deadlines seconds ahead make the workers
 * fire timers and deliver webhooks. Meanwhile one server is SIGKILLed and started again, PostgreSQL itself is
 * restarted twice (`pg_ctlcluster … restart -m fast`) and every backend of the database is terminated once. Then
 * the deployment drains and the suite checks:
 * - every acknowledged write is stored, every snapshot replays from its history, every history row has its
 *   outbox event, no timer fired twice or early and none due is left (the crash-under-load checks);
 * - every event reached the webhook receiver; deliveries received more than once are counted and reported;
 * - each server's stream saw every event, each problem's in version order: the second server's stream, cut and
 *   resumed with Last-Event-ID on its running server, each exactly once; the first's, resumed on its server after
 *   the kill, with repeats counted and reported; how long an event took to reach the other server's stream;
 * - no request answered 500 (503 DATABASE.UNAVAILABLE while the database was away is the documented answer);
 * - every process is still up: no server or worker ended by itself, and both servers are ready.
 *
 * It restarts the machine's PostgreSQL cluster, so it runs only with the reliability suites (`--runInBand`, nothing
 * else on the database meanwhile). PostgreSQL at TEST_PG_URL on this machine is required: unreachable or not
 * restartable, the suite fails.
 */

const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = scaled(6, 12);
/** Disruptions, one every DISRUPTION_GAP_MS once the load runs: server kills, database restarts, backend terminations. */
const KILLS = scaled(1, 3);
const RESTARTS = 2;
const TERMINATIONS = scaled(1, 3);
/** Times the second server's stream is cut (it reconnects to that server, which stays up). */
const CUTS = scaled(1, 3);
const DISRUPTION_GAP_MS = scaled([3_000, 5_000], [8_000, 15_000]);
const LOAD_MS = scaled(25_000, 180_000);
const TAIL_MS = scaled(4_000, 20_000);
const ACK_FLOOR = scaled(150, 2_000);
const STREAM_CATCH_UP_MS = 30_000;
const SUITE_TIMEOUT_MS = scaled(240_000, 900_000);

const run = promisify(execFile);

/** Restarts the local PostgreSQL cluster (fast mode: sessions are ended) and waits until it accepts connections. */
async function restartPostgres(): Promise<number> {
  const host = new URL(PG_URL).hostname;
  if (!['127.0.0.1', 'localhost', '::1', ''].includes(host)) throw new Error(`TEST_PG_URL points at ${host}: the deployment suite restarts a local cluster only`);
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) throw new Error('No PostgreSQL cluster under /etc/postgresql: the deployment suite cannot restart the database');
  const started = Date.now();
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
  for (;;) {
    try {
      await withClient(PG_URL, (client) => client.query('SELECT 1'));
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > 60_000) throw new Error(`PostgreSQL did not come back within 60 s: ${(error as Error).message}`);
      await sleep(100);
    }
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const percentile = (sorted: number[], share: number) => (sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]);

interface StreamVerdict {
  missing: number;
  duplicates: number;
  outOfOrder: number;
  unknown: number;
}

/**
 * Each outbox event once, each problem's events in version order (judged on first arrivals, so a repeat counts
 * once, as a duplicate), nothing the outbox lacks.
 */
function judgeStream(events: readonly Followed[], outbox: ReadonlyMap<string, { problemId: string; version: number }>): StreamVerdict {
  const seen = new Map<string, number>();
  const lastVersion = new Map<string, number>();
  let outOfOrder = 0;
  let unknown = 0;
  for (const event of events) {
    seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
    if (seen.get(event.id)! > 1) continue;
    if (!outbox.has(event.id)) unknown += 1;
    if ((lastVersion.get(event.problemId) ?? 0) >= event.problemVersion) outOfOrder += 1;
    lastVersion.set(event.problemId, Math.max(lastVersion.get(event.problemId) ?? 0, event.problemVersion));
  }
  let duplicates = 0;
  for (const count of seen.values()) duplicates += count - 1;
  const missing = [...outbox.keys()].filter((id) => !seen.has(id)).length;
  return { missing, duplicates, outOfOrder, unknown };
}

describe('A deployment of 2 servers and 2 workers on one PostgreSQL rides out a killed server, two database restarts and terminated backends', () => {
  const dbName = `rk_rel_deploy_${randomBytes(5).toString('hex')}`;
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  const work = mkdtempSync(join(tmpdir(), 'rk-rel-deploy-'));
  const receiver = new WebhookReceiver();
  let servers: ServerProcess[] = [];
  let workers: WorkerProcess[] = [];
  let followers: StreamFollower[] = [];
  let load: Load | null = null;
  const mismatches: string[] = [];
  const figures: Record<string, number | string> = {};
  const streamVerdicts: StreamVerdict[] = [];
  let webhookDuplicates = 0;
  let latenciesOverOneSecond = 0;
  let ready: number[] = [];
  let up: { servers: number[]; workers: boolean[] } = { servers: [], workers: [] };

  beforeAll(async () => {
    const started = Date.now();
    await withClient(PG_URL, (client) => client.query(`CREATE DATABASE ${dbName}`));
    await receiver.start();
    const shared = {
      DATABASE_URL: dbUrl,
      DATABASE_POOL_SIZE: '8',
      LOG_LEVEL: 'warn',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_MAX_FAILURES: '1000',
      // The receiver listens on loopback, which webhooks may reach only when listed.
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
      EVIDENCE_REQUIRED_FOR_SUBMIT: 'false',
      EVIDENCE_DIR: join(work, 'evidence'),
      REPEAT_WINDOW_DAYS: '365',
    };
    // The servers as the README runs them: no scheduler, no relay (the workers do both).
    const serverEnv = {
      ...shared,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      SCHEDULER_INTERVAL_MS: '0',
      EVENT_RELAY_INTERVAL_MS: '0',
      RATE_LIMIT_PER_MINUTE: '10000000',
    };
    servers = [new ServerProcess(await freePort(), serverEnv), new ServerProcess(await freePort(), serverEnv)];
    // The first start migrates the database; the second finds it current.
    for (const server of servers) await server.start();
    // `log`: a worker announces at that level that it runs (startWorker waits for it).
    const workerEnv = { ...shared, LOG_LEVEL: 'log', SCHEDULER_INTERVAL_MS: '200', SCHEDULER_LEASE_MS: '1000', EVENT_RELAY_INTERVAL_MS: '100' };
    workers = [await startWorker('rk-rel-worker-1', workerEnv), await startWorker('rk-rel-worker-2', workerEnv)];

    const setup = newTraffic();
    const org = await createOrganisation(setup, servers[0].baseUrl);
    const hook = (await adminPost(setup, servers[1].baseUrl, '/admin/webhooks', { url: receiver.url })) as { secret: string };
    receiver.useSecret(hook.secret);
    followers = servers.map((server) => new StreamFollower(server.baseUrl, ADMIN_TOKEN));
    for (const follower of followers) await follower.start();

    // The load, through both servers in turn, and the disruptions beside it.
    let turn = 0;
    load = new Load(() => servers[turn++ % servers.length].baseUrl, org, 'INSP-REL-DEPLOY');
    const loadStart = Date.now();
    const clients = Array.from({ length: CLIENTS }, (_, i) => load!.client(i));
    const plan: Array<'kill' | 'restart' | 'terminate' | 'cut'> = [];
    for (let i = 0; i < Math.max(KILLS, RESTARTS, TERMINATIONS); i += 1) {
      if (i < KILLS) plan.push('kill');
      if (i < RESTARTS) plan.push('restart');
      if (i < TERMINATIONS) plan.push('terminate');
      if (i < CUTS) plan.push('cut');
    }
    const restarts: number[] = [];
    let terminated = 0;
    const downtimes: number[] = [];
    for (const disruption of plan) {
      await sleep(between(DISRUPTION_GAP_MS[0], DISRUPTION_GAP_MS[1]));
      if (disruption === 'kill') {
        const victim = servers[0];
        await victim.kill();
        const down = Date.now();
        await sleep(between(200, 800));
        await victim.start();
        downtimes.push(Date.now() - down);
      } else if (disruption === 'cut') {
        // The second server's stream loses its connection (a network blip) and resumes on the same, running server.
        followers[1].cut();
      } else if (disruption === 'restart') {
        restarts.push(await restartPostgres());
      } else {
        terminated += Number(
          (
            await withClient(PG_URL, (client) =>
              client.query<{ n: string }>(
                'SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
                [dbName],
              ),
            )
          ).rows[0].n,
        );
      }
    }
    await sleep(Math.max(TAIL_MS, loadStart + LOAD_MS - Date.now()));
    load.stop();
    await Promise.all(clients);
    const loadMs = Date.now() - loadStart;

    // Drain: no timer due, the outbox published, every webhook delivered and received.
    const drainStart = Date.now();
    const drained = await drain(await pgReader(dbUrl), receiver);
    const drainMs = Date.now() - drainStart;
    if (!drained.ok) mismatches.push(`drain: not drained after ${DRAIN_TIMEOUT_MS} ms: ${drained.state}`);
    // Every process is still up, and both servers ready.
    const exitedByThemselves = servers.reduce((sum, server) => sum + server.unexpectedExits, 0) + workers.filter((worker) => !worker.isRunning()).length;
    up = { servers: servers.map((server) => server.unexpectedExits), workers: workers.map((worker) => worker.isRunning()) };
    ready = await Promise.all(
      servers.map(async (server) =>
        fetch(`${server.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then(
          (response) => response.status,
          () => 0,
        ),
      ),
    );
    // A process that ended by itself says why in its output.
    for (const [i, server] of servers.entries()) {
      if (server.unexpectedExits > 0 || ready[i] !== 200) process.stdout.write(`\n--- server ${i + 1} output (tail) ---\n${server.output.slice(-6000)}\n`);
    }
    for (const worker of workers) if (!worker.isRunning()) process.stdout.write(`\n--- ${worker.name} output (tail) ---\n${worker.output().slice(-6000)}\n`);
    const kills = servers.reduce((sum, server) => sum + server.kills, 0);
    // Timers would go on falling due (later deadlines, escalations): the workers stop, and the first server comes
    // back with its relay on (its scheduler stays off) to relay and deliver what they committed since, so the outbox
    // the checks read is the final one.
    await Promise.all(workers.map((worker) => worker.stop()));
    await servers[0].stop();
    servers[0] = new ServerProcess(servers[0].port, { ...serverEnv, EVENT_RELAY_INTERVAL_MS: '100' });
    await servers[0].start();
    const final = await drain(await pgReader(dbUrl), receiver, { timers: false });
    if (!final.ok) mismatches.push(`final drain: not drained after ${DRAIN_TIMEOUT_MS} ms: ${final.state}`);

    const reader = await pgReader(dbUrl);
    try {
      const checked = await check('postgres', reader, load, receiver, drained.at);
      mismatches.push(...checked.mismatches);
      const outboxRows = await reader.all<{ id: string; problem_id: string; problem_version: number }>(
        'SELECT id, problem_id, problem_version FROM outbox_events ORDER BY id',
      );
      const outbox = new Map(outboxRows.map((row) => [row.id, { problemId: row.problem_id, version: Number(row.problem_version) }]));
      // The streams catch up (a reconnect replays from the outbox), then each is judged.
      const catchUp = Date.now() + STREAM_CATCH_UP_MS;
      while (followers.some((follower) => new Set(follower.events.map((event) => event.id)).size < outbox.size) && Date.now() < catchUp) await sleep(200);
      await sleep(500);
      for (const follower of followers) streamVerdicts.push(judgeStream(follower.events, outbox));

      // How long an acknowledged change took to reach the other server's stream (arrival minus the answer), for
      // changes made while that stream was open (one made while its server was down arrives with the replay).
      const byKey = new Map(outboxRows.map((row) => [`${row.problem_id}#${Number(row.problem_version)}`, row.id]));
      const arrivals = new Map(
        followers.map((follower) => [follower, new Map([...follower.events].reverse().map((event) => [event.id, event.arrivedAt]))]),
      );
      const latencies: number[] = [];
      for (const ack of load.traffic.acks) {
        const other = followers.find((follower) => follower.baseUrl !== ack.via);
        if (!other?.connectedAt(ack.at)) continue;
        const eventId = byKey.get(`${ack.problemId}#${ack.version}`);
        const arrived = eventId === undefined ? undefined : arrivals.get(other)?.get(eventId);
        if (arrived !== undefined) latencies.push(Math.max(0, arrived - ack.at));
      }
      latencies.sort((a, b) => a - b);
      latenciesOverOneSecond = latencies.filter((latency) => latency > 1000).length;

      const attemptsTwice = await reader.all<{ n: string }>(
        'SELECT COUNT(*) AS n FROM (SELECT delivery_id FROM webhook_attempts WHERE succeeded GROUP BY delivery_id HAVING COUNT(*) > 1) twice',
      );
      for (const count of receiver.received.values()) webhookDuplicates += count - 1;
      mismatches.push(
        ...load.traffic.serverErrors.map((error) => `server error: ${error}`),
        ...load.failures.map((failure) => `unexpected answer: ${failure}`),
        ...setup.serverErrors.map((error) => `server error (setup): ${error}`),
        ...receiver.rejected.map((rejected) => `webhook ${rejected.eventId} refused by the receiver: ${rejected.reason}`),
      );
      Object.assign(figures, {
        'servers / workers': `${servers.length} / ${workers.length}`,
        'server kills': kills,
        'longest server downtime (ms)': Math.max(0, ...downtimes),
        'PostgreSQL restarts': restarts.length,
        'PostgreSQL restart (ms)': restarts.join(', '),
        'backends terminated': terminated,
        'load (s)': Math.round(loadMs / 1000),
        clients: CLIENTS,
        'requests sent': load.traffic.sent,
        'writes acknowledged (checked)': load.traffic.acks.length,
        'answered 503 DATABASE.UNAVAILABLE': load.traffic.unavailable,
        'connection failures': load.traffic.connectionFailures,
        'answered 5xx otherwise': load.traffic.serverErrors.length,
        'event types acknowledged': [...new Set(load.traffic.acks.map((ack) => ack.eventType))].sort().join(' '),
        'timer events fired': checked.timerTypes.join(' '),
        'timers fired': checked.timersFired,
        'outbox events': checked.outboxEvents,
        'events received by the webhook (distinct)': receiver.received.size,
        'webhook posts received more than once': webhookDuplicates,
        'deliveries with more than one successful attempt': Number(attemptsTwice[0].n),
        'stream events (server 1 / server 2)': followers.map((follower) => follower.events.length).join(' / '),
        'stream connections (server 1 / server 2)': followers.map((follower) => follower.connections).join(' / '),
        'stream missing / duplicates / out of order': streamVerdicts.map((v) => `${v.missing}/${v.duplicates}/${v.outOfOrder}`).join(', '),
        'to the other server stream p50 / p99 / max (ms)': `${percentile(latencies, 0.5)} / ${percentile(latencies, 0.99)} / ${latencies.at(-1) ?? 0}`,
        'to the other server stream over 1 s': latenciesOverOneSecond,
        'unexpected process exits': exitedByThemselves,
        'drain (s)': Math.round(drainMs / 1000),
        'total (s)': Math.round((Date.now() - started) / 1000),
        mismatches: mismatches.length,
      });
    } finally {
      await reader.close();
    }
    reportFigures('deployment: 2 servers + 2 workers on PostgreSQL', figures);
  }, SUITE_TIMEOUT_MS);

  afterAll(async () => {
    load?.stop();
    for (const follower of followers) follower.stop();
    await Promise.all([...servers.map((server) => server.stop(5_000)), ...workers.map((worker) => worker.stop(5_000))]);
    await receiver.stop();
    await withClient(PG_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('went through every disruption under real load', () => {
    expect(figures['server kills']).toBe(KILLS);
    expect(figures['PostgreSQL restarts']).toBe(RESTARTS);
    expect(Number(figures['backends terminated'])).toBeGreaterThan(0);
    expect(Number(figures['writes acknowledged (checked)'])).toBeGreaterThanOrEqual(ACK_FLOOR);
    expect(String(figures['event types acknowledged']).split(' ')).toEqual(expect.arrayContaining(['FILE', 'ASSIGN', 'START', 'SUBMIT', 'APPROVE', 'CLOSE']));
    expect(String(figures['timer events fired']).split(' ')).toEqual(expect.arrayContaining(['DEADLINE_PASSED', 'ESCALATE']));
  });

  it('keeps every acknowledged write, fires every timer once, delivers every event, and answers no 500', () => {
    expect(mismatches).toEqual([]);
  });

  it('delivers each webhook once: no post received twice', () => {
    expect({ receivedTwice: webhookDuplicates, attemptedTwice: figures['deliveries with more than one successful attempt'] }).toEqual({
      receivedTwice: 0,
      attemptedTwice: 0,
    });
  });

  it("gives the running server's stream every event once, each problem's in order, across a cut connection", () => {
    // It resumed from the server's memory of what it passed on, in commit order: exactly what the stream missed.
    expect(streamVerdicts[1]).toEqual({ missing: 0, duplicates: 0, outOfOrder: 0, unknown: 0 });
  });

  it("gives the killed server's stream every event, each problem's in order, once it resumed on the restarted server", () => {
    // A restarted server remembers nothing: the stream resumes from the outbox in id order, which may repeat an event
    // that committed out of id order around the kill (reported as duplicates; clients de-duplicate by id).
    expect({ ...streamVerdicts[0], duplicates: 'reported' }).toEqual({ missing: 0, duplicates: 'reported', outOfOrder: 0, unknown: 0 });
  });

  it('leaves every process up and both servers ready', () => {
    expect(up).toEqual({ servers: [0, 0], workers: [true, true] });
    expect(ready).toEqual([200, 200]);
  });
});
