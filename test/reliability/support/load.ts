import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { DOMAIN_EVENT_NAMES, replayHistory, type ReplayableEntry, TIMER_EVENT_TYPES } from '#rectification';
import type { WebhookReceiver } from './webhook-receiver.js';

/**
 * The load the reliability suites drive over HTTP, and the checks they make of the database afterwards: clients
 * filing problems and sending every event type (crash under load, the deployment suite), the organisation they
 * work in (made through the admin API), the drain, and the checks of what was stored against what was
 * acknowledged. Each finding is a mismatch with its details.
 */

/** The bootstrap admin token the suites start their servers with (BOOTSTRAP_ADMIN_TOKEN). */
export const ADMIN_TOKEN = `rel-admin-${randomBytes(16).toString('hex')}`;
/** Problems each client keeps going at once (stepped in random order, so deadlines pass while they wait). */
const POOL = 4;
export const DRAIN_TIMEOUT_MS = 150_000;

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
export const chance = (p: number) => Math.random() < p;
export const between = (min: number, max: number) => min + Math.random() * (max - min);
export const inSeconds = (min: number, max: number) => new Date(Date.now() + between(min, max) * 1000).toISOString();

// ---------------------------------------------------------------------------------------------------------------
// HTTP clients

export interface ProblemView {
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
export interface Ack {
  problemId: string;
  version: number;
  eventType: string;
  /** When the answer came (ms since the epoch), and from which server. */
  at: number;
  via: string;
}

export class ConnectionFailed extends Error {}

export interface Traffic {
  sent: number;
  refused: number;
  connectionFailures: number;
  /** 503 DATABASE.UNAVAILABLE: the server is up, the database is not (expected only while it is restarted). */
  unavailable: number;
  /** 2xx answers, reads included; `acks` holds the writes among them. */
  acknowledged: number;
  /** 5xx (or anything unexpected) answered by a running server: a defect, listed as a mismatch. */
  serverErrors: string[];
  refusedByCode: Map<string, number>;
  acks: Ack[];
}

export function newTraffic(): Traffic {
  return { sent: 0, acknowledged: 0, refused: 0, connectionFailures: 0, unavailable: 0, serverErrors: [], refusedByCode: new Map(), acks: [] };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The server that answered, and when. */
  via: string;
  at: number;
}

export async function call(
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
  if (response.status === 503 && parsed.code === 'DATABASE.UNAVAILABLE') {
    // The database is away (a restart, a terminated backend): not acknowledged, as a lost connection is.
    traffic.unavailable += 1;
    throw new ConnectionFailed(`${method} ${path} → 503 DATABASE.UNAVAILABLE`);
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
  return { status: response.status, body: parsed, via: baseUrl, at: Date.now() };
}

// ---------------------------------------------------------------------------------------------------------------
// The organisation, made through the admin API

export interface Organisation {
  officeId: string;
  supervisorToken: string;
  departments: Array<{ id: string; token: string }>;
  inspectors: string[];
}

export async function adminPost(traffic: Traffic, baseUrl: string, path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<Record<string, unknown>> {
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

export async function createOrganisation(traffic: Traffic, baseUrl: string): Promise<Organisation> {
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

export class Load {
  readonly traffic = newTraffic();
  readonly problems = new Map<string, Tracked>();
  /** What went wrong in a client other than a lost connection (an unexpected answer): reported as mismatches. */
  readonly failures: string[] = [];
  private stopping = false;

  /** `baseUrl` says where each request goes (one server, or any of several). */
  constructor(
    private readonly baseUrl: () => string,
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
    const answer = await call(this.traffic, this.baseUrl(), 'POST', '/problems', inspectorToken, {
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
    this.traffic.acks.push({ problemId: view.id, version: view.version, eventType: 'FILE', at: answer.at, via: answer.via });
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
          this.baseUrl(),
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
          this.traffic.acks.push({ problemId: tracked.id, version: after.version, eventType: String(next.body.type), at: settled.value.at, via: settled.value.via });
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
    const answer = await call(this.traffic, this.baseUrl(), 'GET', `/problems/${tracked.id}`, tracked.filerToken);
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

export interface Reader {
  all<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export function sqliteReader(path: string, readonly: boolean): Reader {
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

export async function pgReader(url: string): Promise<Reader> {
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


/**
 * Waits until no timer is due, the outbox is published and every webhook delivered and received. `timers: false`
 * leaves the timers out (no scheduler runs any more: what fell due after the last drain waits, as it should).
 */
export async function drain(reader: Reader, receiver: WebhookReceiver, { timers = true } = {}): Promise<{ ok: boolean; at: string; state: string }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let state = '';
  try {
    let settledOnce = false;
    while (Date.now() < deadline) {
      const at = new Date().toISOString();
      const [due] = timers ? await reader.all<{ n: number }>(`SELECT COUNT(*) AS n FROM problems WHERE next_timer_at <= '${at}'`) : [{ n: 0 }];
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

export interface Checked {
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

export async function check(kind: 'sqlite' | 'postgres', reader: Reader, load: Load, receiver: WebhookReceiver, drainedAt: string): Promise<Checked> {
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

