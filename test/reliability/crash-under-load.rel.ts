import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import {
  DOMAIN_EVENT_NAMES,
  replayHistory,
  type ReplayableEntry,
  TIMER_EVENT_TYPES,
} from '#rectification';
import { reportFigures, scaled } from './support/reliability-scale.js';
import { freePort, ServerProcess } from './support/server-process.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Crash under load (issue #7, part 1). The real built server runs as a child process; concurrent clients file
 * problems and drive them through their lives over HTTP while deadlines a few seconds ahead make the scheduler
 * fire timers and the relay deliver webhooks to a receiver in this test. The server is SIGKILLed at random
 * moments and started again on the same database. At the end it drains (no timer due, outbox published, every
 * webhook delivered), stops, and the database is read directly:
 * - every request answered 2xx (a filing, an event accepted at version v) is in it;
 * - every problem's stored snapshot is what replaying its history gives;
 * - every history row has its outbox event, every outbox event was published and received by the webhook
 *   receiver, and the receiver saw no event the outbox does not hold (a rolled-back transaction's);
 * - no timer fired twice, none fired early, none that fell due is still waiting;
 * - SQLite: PRAGMA integrity_check is ok.
 * Each finding is a mismatch with its details; the suite expects none.
 */

type Kind = 'sqlite' | 'postgres';

const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_TOKEN = `rel-admin-${randomBytes(16).toString('hex')}`;

/** Sizes: CI runs `short` (both databases together within 3 minutes), the README's figures come from `full`. */
const KILLS = scaled(3, 20);
/**
 * How long each server lives (after /health answers) before it is killed: a random moment in this range, so a
 * kill can hit a start-up catch-up sweep as well as a busy steady state.
 */
const UPTIME_MS = scaled([1_000, 5_000], [1_000, 10_000]);
/**
 * The load lasts at least LOAD_MS and at least TAIL_MS after the last kill's restart; on a machine too busy to
 * reach ACK_TARGET acknowledged requests by then it goes on, up to LOAD_MAX_MS. A run below ACK_FLOOR fails: it
 * would prove little.
 */
const LOAD_MS = scaled(20_000, 180_000);
const TAIL_MS = scaled(4_000, 20_000);
const LOAD_MAX_MS = scaled(45_000, 300_000);
const ACK_TARGET = scaled(600, 6_000);
const ACK_FLOOR = scaled(200, 2_000);
const CLIENTS = scaled(8, 12);
/** Problems each client keeps going at once (stepped in random order, so deadlines pass while they wait). */
const POOL = 4;
const DRAIN_TIMEOUT_MS = 150_000;
const SCENARIO_TIMEOUT_MS = scaled(170_000, 720_000);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const chance = (p: number) => Math.random() < p;
const between = (min: number, max: number) => min + Math.random() * (max - min);
const inSeconds = (min: number, max: number) => new Date(Date.now() + between(min, max) * 1000).toISOString();

// ---------------------------------------------------------------------------------------------------------------
// HTTP clients

interface ProblemView {
  id: string;
  version: number;
  state: string;
  stateDetail: string;
  deadlineState: string;
  deadline: string | null;
  departmentId: string | null;
  pendingRequest: { kind: 'extension' | 'suspension'; proposedDeadline?: string } | null;
}

/** What a 2xx acknowledged: the problem and the version the request produced, and the event that produced it. */
interface Ack {
  problemId: string;
  version: number;
  eventType: string;
}

class ConnectionFailed extends Error {}

interface Traffic {
  sent: number;
  refused: number;
  connectionFailures: number;
  /** 2xx answers, reads included; `acks` holds the writes among them. */
  acknowledged: number;
  /** 5xx (or anything unexpected) answered by a running server: a defect, listed as a mismatch. */
  serverErrors: string[];
  refusedByCode: Map<string, number>;
  acks: Ack[];
}

function newTraffic(): Traffic {
  return { sent: 0, acknowledged: 0, refused: 0, connectionFailures: 0, serverErrors: [], refusedByCode: new Map(), acks: [] };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  traffic: Traffic,
  baseUrl: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  traffic.sent += 1;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
    text = await response.text();
  } catch (error) {
    // Refused (the server is down), reset or cut off mid-answer (killed): not acknowledged, whatever happened.
    traffic.connectionFailures += 1;
    throw new ConnectionFailed((error as Error).message);
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { raw: text };
  }
  if (response.status >= 200 && response.status < 300) {
    traffic.acknowledged += 1;
  } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    traffic.refused += 1;
    const code = String(parsed.code ?? response.status);
    traffic.refusedByCode.set(code, (traffic.refusedByCode.get(code) ?? 0) + 1);
  } else {
    traffic.serverErrors.push(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
  }
  return { status: response.status, body: parsed };
}

// ---------------------------------------------------------------------------------------------------------------
// The organisation, made through the admin API

interface Organisation {
  officeId: string;
  supervisorToken: string;
  departments: Array<{ id: string; token: string }>;
  inspectors: string[];
}

async function adminPost(traffic: Traffic, baseUrl: string, path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<Record<string, unknown>> {
  const answer = await call(traffic, baseUrl, method, path, ADMIN_TOKEN, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function createUser(traffic: Traffic, baseUrl: string, name: string, role: string, departmentId?: string): Promise<{ id: string; token: string }> {
  const created = (await adminPost(traffic, baseUrl, '/admin/users', { name, role, ...(departmentId ? { departmentId } : {}) })) as {
    user: { id: string };
    token: { token: string };
  };
  return { id: created.user.id, token: created.token.token };
}

async function createOrganisation(traffic: Traffic, baseUrl: string): Promise<Organisation> {
  const office = (await adminPost(traffic, baseUrl, '/admin/departments', { name: 'Reliability Office (督查办)' })) as { id: string };
  const supervisor = await createUser(traffic, baseUrl, 'Supervisor', 'supervisor', office.id);
  await adminPost(traffic, baseUrl, `/admin/departments/${office.id}`, { headUserId: supervisor.id }, 'PATCH');
  const departments: Organisation['departments'] = [];
  for (const name of ['Facilities', 'Production', 'Logistics']) {
    const department = (await adminPost(traffic, baseUrl, '/admin/departments', { name, parentId: office.id })) as { id: string };
    const user = await createUser(traffic, baseUrl, `${name} lead`, 'department', department.id);
    await adminPost(traffic, baseUrl, `/admin/departments/${department.id}`, { headUserId: user.id }, 'PATCH');
    departments.push({ id: department.id, token: user.token });
  }
  const inspectors: string[] = [];
  for (let i = 0; i < 4; i += 1) inspectors.push((await createUser(traffic, baseUrl, `Inspector ${i + 1}`, 'inspector', office.id)).token);
  return { officeId: office.id, supervisorToken: supervisor.token, departments, inspectors };
}

// ---------------------------------------------------------------------------------------------------------------
// The load: clients filing problems and driving them through their lives

interface Tracked {
  id: string;
  /** The inspector who filed it (the filer relation: ASSIGN, APPROVE, REJECT, CANCEL, REOPEN). */
  filerToken: string;
  view: ProblemView | null;
  steps: number;
  reopened: boolean;
  busy: boolean;
}

interface Step {
  token: string;
  body: Record<string, unknown>;
}

class Load {
  readonly traffic = newTraffic();
  readonly problems = new Map<string, Tracked>();
  /** What went wrong in a client other than a lost connection (an unexpected answer): reported as mismatches. */
  readonly failures: string[] = [];
  private stopping = false;

  constructor(
    private readonly server: ServerProcess,
    private readonly org: Organisation,
    private readonly inspectionRef: string,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  async client(index: number): Promise<void> {
    const inspector = this.org.inspectors[index % this.org.inspectors.length];
    const pool: Tracked[] = [];
    while (!this.stopping) {
      try {
        if (pool.length < POOL) {
          const filed = await this.file(inspector);
          if (filed) pool.push(filed);
        } else if (chance(0.05) && this.problems.size > 0) {
          // Now and then a problem another client drives: races between clients, settled by the version.
          const foreign = pick([...this.problems.values()]);
          if (!foreign.busy) await this.step(foreign);
        } else {
          const tracked = pick(pool);
          const done = await this.step(tracked);
          if (done) pool.splice(pool.indexOf(tracked), 1);
        }
      } catch (error) {
        // The server is down (killed, restarting): try again shortly; nothing was acknowledged.
        if (!(error instanceof ConnectionFailed)) this.failures.push(`client ${index}: ${(error as Error).message}`);
        await sleep(between(50, 150));
      }
      await sleep(between(0, 40));
    }
  }

  private async file(inspectorToken: string): Promise<Tracked | null> {
    const answer = await call(this.traffic, this.server.baseUrl, 'POST', '/problems', inspectorToken, {
      title: `Finding ${randomBytes(3).toString('hex')}`,
      description: 'Found during the reliability run',
      category: pick(['fire-safety', 'machine-safety', 'housekeeping']),
      severity: pick(['minor', 'general', 'major', 'critical']),
      location: `Hall ${Math.floor(Math.random() * 20)}`,
      inspectionRef: this.inspectionRef,
      requirement: 'Rectify it',
    });
    if (answer.status !== 201) return null;
    const view = answer.body as unknown as ProblemView;
    this.traffic.acks.push({ problemId: view.id, version: view.version, eventType: 'FILE' });
    const tracked: Tracked = { id: view.id, filerToken: inspectorToken, view, steps: 0, reopened: false, busy: false };
    this.problems.set(view.id, tracked);
    return tracked;
  }

  /** One step of a problem's life; true when the client is done with it. */
  private async step(tracked: Tracked): Promise<boolean> {
    tracked.busy = true;
    try {
      if (tracked.view === null) await this.refresh(tracked);
      const view = tracked.view!;
      if (view.state === 'cancelled' || tracked.steps > 40) return true;
      if (view.state === 'closed' && tracked.reopened) return true;
      const next = this.nextStep(tracked, view);
      if (next === null) return view.state === 'closed' || view.state === 'cancelled';
      tracked.steps += 1;
      // Most requests carry the version they expect (in the body or as If-Match); a few race a twin.
      const versioned = chance(0.9);
      const viaHeader = chance(0.5);
      const send = () =>
        call(
          this.traffic,
          this.server.baseUrl,
          'POST',
          `/problems/${tracked.id}/events`,
          next.token,
          versioned && !viaHeader ? { ...next.body, expectedVersion: view.version } : next.body,
          versioned && viaHeader ? { 'If-Match': `"${view.version}"` } : {},
        );
      const answers = chance(0.1) ? await Promise.allSettled([send(), send()]) : await Promise.allSettled([send()]);
      let accepted: ProblemView | null = null;
      for (const settled of answers) {
        if (settled.status === 'rejected') {
          if (!(settled.reason instanceof ConnectionFailed)) throw settled.reason;
          continue;
        }
        if (settled.value.status === 200) {
          const after = settled.value.body as unknown as ProblemView;
          this.traffic.acks.push({ problemId: tracked.id, version: after.version, eventType: String(next.body.type) });
          if (accepted === null || after.version > accepted.version) accepted = after;
        }
      }
      if (next.body.type === 'REOPEN' && accepted) tracked.reopened = true;
      if (accepted) tracked.view = accepted;
      else tracked.view = null; // refused, raced or cut off: read it again before the next step
      if (answers.every((settled) => settled.status === 'rejected')) throw (answers[0] as PromiseRejectedResult).reason;
      return false;
    } finally {
      tracked.busy = false;
    }
  }

  private async refresh(tracked: Tracked): Promise<void> {
    const answer = await call(this.traffic, this.server.baseUrl, 'GET', `/problems/${tracked.id}`, tracked.filerToken);
    if (answer.status !== 200) throw new Error(`GET /problems/${tracked.id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    tracked.view = answer.body as unknown as ProblemView;
  }

  private departmentToken(departmentId: string | null): string {
    return (this.org.departments.find((department) => department.id === departmentId) ?? this.org.departments[0]).token;
  }

  /** A plausible next event for the problem as last seen, sent by someone who may send it. */
  private nextStep(tracked: Tracked, view: ProblemView): Step | null {
    const inspector = tracked.filerToken;
    const supervisor = this.org.supervisorToken;
    const department = this.departmentToken(view.departmentId);
    const clockRunning = ['onTrack', 'dueSoon', 'overdue', 'escalated'].includes(view.deadlineState);
    const laterThanDeadline = () =>
      new Date(Math.max(Date.now(), view.deadline ? Date.parse(view.deadline) : 0) + between(1_500, 6_000)).toISOString();
    if (view.pendingRequest?.kind === 'extension') {
      return chance(0.7)
        ? { token: supervisor, body: { type: 'APPROVE_EXTENSION', comment: 'Agreed', deadline: laterThanDeadline() } }
        : { token: supervisor, body: { type: 'REJECT_EXTENSION', reason: 'Not needed' } };
    }
    if (view.pendingRequest?.kind === 'suspension') {
      return chance(0.6)
        ? { token: supervisor, body: { type: 'APPROVE_SUSPENSION', comment: 'Agreed' } }
        : { token: supervisor, body: { type: 'REJECT_SUSPENSION', reason: 'The work does not wait on it' } };
    }
    if (view.deadlineState === 'suspended') {
      return { token: chance(0.5) ? department : supervisor, body: { type: 'RESUME', comment: 'Can go on' } };
    }
    const otherDepartment = pick(this.org.departments.filter((candidate) => candidate.id !== view.departmentId)).id;
    const requests = (): Step | null =>
      clockRunning && view.pendingRequest === null
        ? chance(0.6)
          ? { token: department, body: { type: 'REQUEST_EXTENSION', reason: 'Parts are late', proposedDeadline: laterThanDeadline() } }
          : { token: department, body: { type: 'REQUEST_SUSPENSION', reason: 'Waiting for the supplier' } }
        : null;
    switch (view.stateDetail) {
      case 'found':
        return chance(0.93)
          ? { token: inspector, body: { type: 'ASSIGN', departmentId: pick(this.org.departments).id, deadline: inSeconds(1, 8) } }
          : { token: inspector, body: { type: 'CANCEL', reason: 'Duplicate finding' } };
      case 'assigned': {
        const roll = Math.random();
        if (roll < 0.72) {
          return { token: department, body: { type: 'START', measures: 'Fix it', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-12-20' } };
        }
        if (roll < 0.84) return { token: inspector, body: { type: 'REASSIGN', departmentId: otherDepartment, reason: 'Wrong department' } };
        if (roll < 0.87) return { token: chance(0.5) ? inspector : supervisor, body: { type: 'CANCEL', reason: 'Not a finding after all' } };
        return requests();
      }
      case 'rectifying.inProgress': {
        const roll = Math.random();
        if (roll < 0.15) return { token: department, body: { type: 'REPORT_PROGRESS', note: 'Going on', percent: Math.floor(Math.random() * 100) } };
        if (roll < 0.7) return { token: department, body: { type: 'SUBMIT', summary: 'Done' } };
        if (roll < 0.78) return { token: supervisor, body: { type: 'REASSIGN', departmentId: otherDepartment, reason: 'Another department owns it' } };
        if (roll < 0.8) return { token: inspector, body: { type: 'CANCEL', reason: 'Withdrawn' } };
        return requests();
      }
      case 'rectifying.awaitingVerification':
        return chance(0.65)
          ? { token: chance(0.8) ? inspector : supervisor, body: { type: 'APPROVE', comment: 'Checked on site' } }
          : { token: inspector, body: { type: 'REJECT', reason: 'Not good enough' } };
      case 'verified':
        return { token: supervisor, body: { type: 'CLOSE', comment: '销号' } };
      case 'closed':
        return chance(0.25) ? { token: inspector, body: { type: 'REOPEN', reason: 'It recurred' } } : null;
      default:
        return null;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the database directly (the server stopped, or only to watch the drain)

interface Reader {
  all<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

function sqliteReader(path: string, readonly: boolean): Reader {
  const db = new Database(path, { readonly, fileMustExist: true });
  return {
    async all<T>(sql: string) {
      return db.prepare(sql).all() as T[];
    },
    async close() {
      db.close();
    },
  };
}

async function pgReader(url: string): Promise<Reader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async all<T>(sql: string) {
      return (await client.query(sql)).rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}

interface ProblemRow {
  id: string;
  version: number;
  snapshot: string;
  state: string;
  deadline_state: string | null;
  deadline: string | null;
  escalation_level: number | null;
  next_timer_at: string | null;
}

interface HistoryRow {
  problem_id: string;
  version: number;
  event_type: string;
  payload: string;
  actor_id: string;
  occurred_at: string;
}

interface OutboxRow {
  id: string;
  type: string;
  problem_id: string;
  problem_version: number;
  published_at: string | null;
}

interface DeliveryRow {
  event_id: string;
  status: string;
}

// ---------------------------------------------------------------------------------------------------------------
// One scenario: a database, the load, the kills, the drain and the checks

interface Outcome {
  kind: Kind;
  mismatches: string[];
  figures: Record<string, number | string>;
}

interface Target {
  env: Record<string, string>;
  reader(readonly: boolean): Promise<Reader>;
  drop(): Promise<void>;
}

async function createTarget(kind: Kind, work: string): Promise<Target> {
  if (kind === 'sqlite') {
    const path = join(work, 'crash.sqlite');
    return {
      env: { DATABASE_PATH: path },
      reader: async (readonly) => sqliteReader(path, readonly),
      drop: async () => {},
    };
  }
  // A fresh database per run, dropped afterwards. An unreachable PostgreSQL fails the suite here.
  const name = `rk_rel_crash_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '10' },
    reader: async () => pgReader(url.toString()),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function runScenario(kind: Kind): Promise<Outcome> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), `rk-rel-crash-${kind}-`));
  const target = await createTarget(kind, work);
  const receiver = new WebhookReceiver();
  await receiver.start();
  const server = new ServerProcess(await freePort(), {
    ...target.env,
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    SCHEDULER_INTERVAL_MS: '200',
    // A killed scheduler's leased timers are fired by the next server after 1 s (the shortest lease allowed).
    SCHEDULER_LEASE_MS: '1000',
    EVENT_RELAY_INTERVAL_MS: '100',
    // A killed deliverer's claimed deliveries go out again when their lease (this + 60 s) runs out.
    WEBHOOK_TIMEOUT_MS: '3000',
    WEBHOOK_MAX_FAILURES: '1000',
    // The receiver listens on loopback, which webhooks may reach only when listed.
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
    RATE_LIMIT_PER_MINUTE: '10000000',
    EVIDENCE_REQUIRED_FOR_SUBMIT: 'false',
    EVIDENCE_DIR: join(work, 'evidence'),
    REPEAT_WINDOW_DAYS: '365',
  });
  // Stopped in `finally` too, so a failed restart leaves no client looping.
  let running: Load | null = null;
  try {
    await server.start();
    const setupTraffic = newTraffic();
    const org = await createOrganisation(setupTraffic, server.baseUrl);
    const hook = (await adminPost(setupTraffic, server.baseUrl, '/admin/webhooks', { url: receiver.url })) as { secret: string };
    receiver.useSecret(hook.secret);

    // The load, and the kills beside it.
    const load = new Load(server, org, `INSP-REL-${kind.toUpperCase()}`);
    running = load;
    const loadStart = Date.now();
    const clients = Array.from({ length: CLIENTS }, (_, i) => load.client(i));
    const downtimes: number[] = [];
    const uptimes: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const uptime = between(UPTIME_MS[0], UPTIME_MS[1]);
      await sleep(uptime);
      uptimes.push(uptime);
      await server.kill();
      const down = Date.now();
      await sleep(between(0, 400));
      await server.start();
      downtimes.push(Date.now() - down);
    }
    await sleep(Math.max(TAIL_MS, loadStart + LOAD_MS - Date.now()));
    while (load.traffic.acks.length < ACK_TARGET && Date.now() - loadStart < LOAD_MAX_MS) await sleep(250);
    load.stop();
    await Promise.all(clients);
    const loadMs = Date.now() - loadStart;

    // Restart once more (a clean stop this time: the shutdown hooks finish the rounds in flight), and let the
    // scheduler, the relay and the webhooks drain — including what the killed servers left leased.
    await server.stop();
    await server.start();
    const drainStart = Date.now();
    const drained = await drain(await target.reader(true), receiver);
    const drainMs = Date.now() - drainStart;
    await server.stop();

    const reader = await target.reader(false);
    let checked: Checked;
    try {
      checked = await check(kind, reader, load, receiver, drained.at);
    } finally {
      await reader.close();
    }
    const mismatches = [
      ...(drained.ok ? [] : [`drain: not drained after ${DRAIN_TIMEOUT_MS} ms: ${drained.state}`]),
      ...load.traffic.serverErrors.map((error) => `server error: ${error}`),
      ...load.failures.map((failure) => `unexpected answer: ${failure}`),
      ...setupTraffic.serverErrors.map((error) => `server error (setup): ${error}`),
      ...receiver.rejected.map((rejected) => `webhook ${rejected.eventId} refused by the receiver: ${rejected.reason}`),
      ...checked.mismatches,
    ];
    const figures: Record<string, number | string> = {
      'kills survived': server.kills,
      'server starts': server.starts,
      'shortest uptime before a kill (ms)': Math.round(Math.min(...uptimes)),
      'longest downtime (ms)': Math.max(0, ...downtimes),
      'load (s)': Math.round(loadMs / 1000),
      clients: CLIENTS,
      'requests sent': load.traffic.sent,
      'requests acknowledged': load.traffic.acknowledged,
      'writes acknowledged (checked)': load.traffic.acks.length,
      'requests refused (4xx)': load.traffic.refused,
      'connection failures': load.traffic.connectionFailures,
      'version conflicts': load.traffic.refusedByCode.get('PROBLEM.VERSION_CONFLICT') ?? 0,
      'refusals by code': [...load.traffic.refusedByCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', '),
      'event types acknowledged': [...new Set(load.traffic.acks.map((ack) => ack.eventType))].sort().join(' '),
      'timer events fired': checked.timerTypes.join(' '),
      problems: checked.problems,
      'history rows': checked.historyRows,
      'outbox events': checked.outboxEvents,
      'events delivered (distinct)': receiver.received.size,
      'webhook posts received': receiver.deliveries,
      'timers fired': checked.timersFired,
      'timers fired late': checked.timersLate,
      'drain (s)': Math.round(drainMs / 1000),
      'total (s)': Math.round((Date.now() - started) / 1000),
      mismatches: mismatches.length,
    };
    return { kind, mismatches, figures };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output (tail) ---\n${server.output.slice(-6000)}`);
  } finally {
    running?.stop();
    await server.stop(5_000).catch(() => {});
    await receiver.stop();
    await target.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Waits (the server running, the load stopped) until no timer is due, the outbox is published and every webhook delivered. */
async function drain(reader: Reader, receiver: WebhookReceiver): Promise<{ ok: boolean; at: string; state: string }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let state = '';
  try {
    let settledOnce = false;
    while (Date.now() < deadline) {
      const at = new Date().toISOString();
      const [due] = await reader.all<{ n: number }>(`SELECT COUNT(*) AS n FROM problems WHERE next_timer_at <= '${at}'`);
      const [unpublished] = await reader.all<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL');
      const [undelivered] = await reader.all<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status <> 'delivered'");
      const ids = await reader.all<{ id: string }>('SELECT id FROM outbox_events');
      const unreceived = ids.filter((row) => !receiver.received.has(row.id)).length;
      state = `${Number(due.n)} timers due, ${Number(unpublished.n)} events unpublished, ${Number(undelivered.n)} deliveries pending, ${unreceived} events not received`;
      if (Number(due.n) + Number(unpublished.n) + Number(undelivered.n) + unreceived === 0) {
        // Twice in a row, a relay round apart: a round in flight may still be writing.
        if (settledOnce) return { ok: true, at, state };
        settledOnce = true;
      } else {
        settledOnce = false;
      }
      await sleep(300);
    }
    return { ok: false, at: new Date().toISOString(), state };
  } finally {
    await reader.close();
  }
}

interface Checked {
  mismatches: string[];
  problems: number;
  historyRows: number;
  outboxEvents: number;
  timersFired: number;
  timersLate: number;
  /** Timer event types found in the history. */
  timerTypes: string[];
}

const TIMER_TYPES: readonly string[] = TIMER_EVENT_TYPES;

async function check(kind: Kind, reader: Reader, load: Load, receiver: WebhookReceiver, drainedAt: string): Promise<Checked> {
  const mismatches: string[] = [];
  const problems = await reader.all<ProblemRow>(
    'SELECT id, version, snapshot, state, deadline_state, deadline, escalation_level, next_timer_at FROM problems',
  );
  const history = await reader.all<HistoryRow>(
    'SELECT problem_id, version, event_type, payload, actor_id, occurred_at FROM problem_history ORDER BY problem_id, version',
  );
  const outbox = await reader.all<OutboxRow & { payload: string }>('SELECT id, type, problem_id, problem_version, published_at, payload FROM outbox_events');
  const deliveries = await reader.all<DeliveryRow>('SELECT event_id, status FROM webhook_deliveries');

  const problemById = new Map(problems.map((row) => [row.id, row]));
  const historyByProblem = new Map<string, HistoryRow[]>();
  for (const row of history) {
    const rows = historyByProblem.get(row.problem_id) ?? [];
    rows.push(row);
    historyByProblem.set(row.problem_id, rows);
  }
  const historyKey = (problemId: string, version: number) => `${problemId}#${Number(version)}`;
  const historyByKey = new Map<string, HistoryRow[]>();
  for (const row of history) {
    const key = historyKey(row.problem_id, row.version);
    historyByKey.set(key, [...(historyByKey.get(key) ?? []), row]);
  }

  // 1. Every acknowledged write is there.
  for (const ack of load.traffic.acks) {
    const problem = problemById.get(ack.problemId);
    if (!problem) {
      mismatches.push(`acknowledged ${ack.eventType} v${ack.version} of ${ack.problemId}: the problem is missing`);
      continue;
    }
    const rows = historyByKey.get(historyKey(ack.problemId, ack.version)) ?? [];
    if (rows.length === 0) mismatches.push(`acknowledged ${ack.eventType} v${ack.version} of ${ack.problemId}: no history row at that version (problem at v${problem.version})`);
    else if (rows[0].event_type !== ack.eventType) {
      mismatches.push(`acknowledged ${ack.eventType} v${ack.version} of ${ack.problemId}: history has ${rows[0].event_type} at that version`);
    }
  }

  // 2. History: versions 1..v with no gap or twin, and it replays to the stored snapshot.
  for (const problem of problems) {
    const rows = historyByProblem.get(problem.id) ?? [];
    const versions = rows.map((row) => Number(row.version));
    const expected = Array.from({ length: Number(problem.version) }, (_, i) => i + 1);
    if (!isDeepStrictEqual(versions, expected)) {
      mismatches.push(`history of ${problem.id}: versions [${versions.join(',')}], expected 1..${problem.version}`);
      continue;
    }
    const entries: ReplayableEntry[] = rows.map((row) => ({
      problemId: row.problem_id,
      eventType: row.event_type,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      actorId: row.actor_id,
      occurredAt: row.occurred_at,
    }));
    const stored = JSON.parse(problem.snapshot) as { value: unknown; context: unknown };
    try {
      const replayed = replayHistory(entries);
      if (!isDeepStrictEqual(replayed.value, stored.value)) {
        mismatches.push(`snapshot of ${problem.id}: value ${JSON.stringify(stored.value)}, replay gives ${JSON.stringify(replayed.value)}`);
      }
      if (!isDeepStrictEqual(replayed.context, stored.context)) {
        const context = replayed.context as unknown as Record<string, unknown>;
        const storedContext = stored.context as Record<string, unknown>;
        const fields = [...new Set([...Object.keys(context), ...Object.keys(storedContext)])].filter(
          (field) => !isDeepStrictEqual(context[field], storedContext[field]),
        );
        mismatches.push(`snapshot of ${problem.id}: context differs from replay in ${fields.join(', ')}`);
      }
    } catch (error) {
      mismatches.push(`history of ${problem.id} does not replay: ${(error as Error).message}`);
    }
  }
  for (const problemId of historyByProblem.keys()) {
    if (!problemById.has(problemId)) mismatches.push(`history rows of ${problemId}, which has no problem row`);
  }

  // 3. Outbox: one event per history row, all published, all received; nothing received that the outbox lacks.
  const outboxByKey = new Map<string, OutboxRow[]>();
  for (const event of outbox) {
    const key = historyKey(event.problem_id, event.problem_version);
    outboxByKey.set(key, [...(outboxByKey.get(key) ?? []), event]);
  }
  for (const row of history) {
    const events = outboxByKey.get(historyKey(row.problem_id, row.version)) ?? [];
    const wanted = DOMAIN_EVENT_NAMES[row.event_type as keyof typeof DOMAIN_EVENT_NAMES];
    if (events.length !== 1) mismatches.push(`history ${row.event_type} v${row.version} of ${row.problem_id}: ${events.length} outbox events`);
    else if (events[0].type !== wanted) mismatches.push(`history ${row.event_type} v${row.version} of ${row.problem_id}: outbox event ${events[0].type}, expected ${wanted}`);
  }
  const outboxIds = new Set(outbox.map((event) => event.id));
  for (const event of outbox) {
    if (!historyByKey.has(historyKey(event.problem_id, event.problem_version))) {
      mismatches.push(`outbox event ${event.id} (${event.type} v${event.problem_version} of ${event.problem_id}) has no history row`);
    }
    if (event.published_at === null) mismatches.push(`outbox event ${event.id} (${event.type}) was never published`);
    if (!receiver.received.has(event.id)) mismatches.push(`outbox event ${event.id} (${event.type}) never reached the webhook receiver`);
  }
  for (const eventId of receiver.received.keys()) {
    if (!outboxIds.has(eventId)) mismatches.push(`the webhook receiver got event ${eventId}, which is not in the outbox (a rolled-back write?)`);
  }
  const deliveriesByEvent = new Map<string, DeliveryRow[]>();
  for (const delivery of deliveries) deliveriesByEvent.set(delivery.event_id, [...(deliveriesByEvent.get(delivery.event_id) ?? []), delivery]);
  for (const event of outbox) {
    const owed = deliveriesByEvent.get(event.id) ?? [];
    if (owed.length !== 1) mismatches.push(`outbox event ${event.id}: ${owed.length} webhook deliveries for the one subscription`);
    else if (owed[0].status !== 'delivered') mismatches.push(`webhook delivery of ${event.id} is ${owed[0].status}`);
  }

  // 4. Timers: none fired twice or early, none that fell due still waiting.
  let timersFired = 0;
  const timerTypes = new Set<string>();
  const timerKeys = new Map<string, number>();
  for (const row of history) {
    if (!TIMER_TYPES.includes(row.event_type)) continue;
    timersFired += 1;
    timerTypes.add(row.event_type);
    const payload = JSON.parse(row.payload) as { scheduledFor?: string; level?: number; workingDaysBefore?: number };
    if (typeof payload.scheduledFor !== 'string') {
      mismatches.push(`timer ${row.event_type} v${row.version} of ${row.problem_id} carries no scheduledFor`);
      continue;
    }
    if (Date.parse(row.occurred_at) < Date.parse(payload.scheduledFor)) {
      mismatches.push(`timer ${row.event_type} v${row.version} of ${row.problem_id} fired at ${row.occurred_at}, before it fell due (${payload.scheduledFor})`);
    }
    const key = `${row.problem_id} ${row.event_type} ${payload.scheduledFor} ${payload.level ?? ''} ${payload.workingDaysBefore ?? ''}`;
    timerKeys.set(key, (timerKeys.get(key) ?? 0) + 1);
  }
  for (const [key, count] of timerKeys) if (count > 1) mismatches.push(`timer fired ${count} times: ${key}`);
  const drained = Date.parse(drainedAt);
  for (const problem of problems) {
    if (problem.next_timer_at !== null && Date.parse(problem.next_timer_at) <= drained) {
      mismatches.push(`problem ${problem.id}: timer due at ${problem.next_timer_at} still waiting after the drain`);
    }
    const passed = problem.deadline !== null && Date.parse(problem.deadline) <= drained;
    if (passed && ['onTrack', 'dueSoon'].includes(problem.deadline_state ?? '')) {
      mismatches.push(`problem ${problem.id}: deadline ${problem.deadline} passed but the clock is still ${problem.deadline_state} (DEADLINE_PASSED missing)`);
    }
    if (passed && problem.deadline_state === 'overdue' && Number(problem.escalation_level ?? 0) === 0) {
      mismatches.push(`problem ${problem.id}: overdue since ${problem.deadline} but never escalated (ESCALATE level 1 missing)`);
    }
  }
  const timersLate = outbox.filter((event) => event.payload.includes('"late":true')).length;

  // 5. The file itself.
  if (kind === 'sqlite') {
    const result = await reader.all<{ integrity_check: string }>('PRAGMA integrity_check');
    const verdict = result.map((row) => row.integrity_check).join('; ');
    if (verdict !== 'ok') mismatches.push(`PRAGMA integrity_check: ${verdict}`);
  }
  return { mismatches, problems: problems.length, historyRows: history.length, outboxEvents: outbox.length, timersFired, timersLate, timerTypes: [...timerTypes].sort() };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Both databases run at the same time (started when the suite starts), so short mode stays within its budget
 * while each waits out the webhook leases its killed servers left; each describe block awaits and checks its own.
 */
const scenarios = new Map<Kind, Promise<Outcome>>();
function scenario(kind: Kind): Promise<Outcome> {
  let run = scenarios.get(kind);
  if (!run) {
    run = runScenario(kind);
    run.catch(() => {}); // awaited (and reported) by its own describe block
    scenarios.set(kind, run);
  }
  return run;
}

beforeAll(() => {
  scenario('sqlite');
  scenario('postgres');
});

afterAll(async () => {
  await Promise.allSettled(scenarios.values());
}, SCENARIO_TIMEOUT_MS);

for (const [kind, title] of [
  ['sqlite', 'SQLite'],
  ['postgres', 'PostgreSQL'],
] as const) {
  describe(`Crash under load on ${title}: the server SIGKILLed at random moments loses and duplicates nothing`, () => {
    let outcome: Outcome;
    beforeAll(async () => {
      outcome = await scenario(kind);
      reportFigures(`crash under load (${title})`, outcome.figures);
    }, SCENARIO_TIMEOUT_MS);

    it('survives the kills under real load', () => {
      expect(outcome.figures['kills survived']).toBeGreaterThanOrEqual(KILLS);
      // The load must really have happened: problems filed and driven, timers fired, webhooks delivered.
      expect(outcome.figures['writes acknowledged (checked)']).toBeGreaterThanOrEqual(ACK_FLOOR);
      const acknowledgedTypes = String(outcome.figures['event types acknowledged']).split(' ');
      expect(acknowledgedTypes).toEqual(expect.arrayContaining(['FILE', 'ASSIGN', 'START', 'SUBMIT', 'APPROVE', 'REJECT', 'CLOSE']));
      // Deadlines a few seconds ahead pass while the load runs: the scheduler fires them, across the kills.
      expect(String(outcome.figures['timer events fired']).split(' ')).toEqual(expect.arrayContaining(['DEADLINE_PASSED', 'ESCALATE']));
      expect(outcome.figures['events delivered (distinct)']).toBeGreaterThan(0);
    });

    it('keeps every acknowledged write, replays every snapshot, relays and delivers every event, fires every timer once', () => {
      expect(outcome.mismatches).toEqual([]);
    });
  });
}
