import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { newId } from '#domain';
import { ProblemRepository, RectificationEngine } from '#engine';
import { DEFAULT_EVENT_DELIVERY_OPTIONS, WebhooksService } from '#events';
import { IdentityModule, IdentityService, seedDemoOrganisation } from '#identity';
import { DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';
import { reportFigures, scaled } from './support/reliability-scale.js';
import { INSTALL_PROBE_SQL, startWebhookReceiver, startWorker, waitUntil, type WorkerProcess } from './support/worker-processes.js';

/**
 * Three real worker processes (`node dist/apps/worker/src/main.js`) share one PostgreSQL database: thousands of
 * deadline timers fall due at once beside an outbox full of unpublished events, and a webhook receiver on
 * 127.0.0.1 records what arrives. Every timer must fire exactly once, every event must reach the receiver, and each
 * worker must do a fair part. Then a second batch falls due and one worker is SIGKILLed while it holds leased timers:
 * the others must fire them once its lease has run out, still exactly once, nothing missing.
 *
 * Which process fired a timer is read from PostgreSQL: each worker connects under its own application_name and a
 * trigger on problem_history (see INSTALL_PROBE_SQL) copies it in the firing's own transaction.
 *
 * PostgreSQL at TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is required: unreachable, the suite
 * fails. Needs `npm run build` first (npm run test:reliability does it).
 */

const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TIMERS = scaled(1_500, 10_000);
const OUTBOX_EVENTS = scaled(1_500, 10_000);
const KILL_ROUND_TIMERS = scaled(1_500, 10_000);
const WORKERS = 3;
const LEASE_MS = 3_000;
const WEBHOOK_TIMEOUT_MS = 3_000;
/** A claimed webhook delivery stays with its deliverer this long unless renewed (WEBHOOK_LEASE_MS; the shortest allowed). */
const DELIVERY_LEASE_MS = 5_000;
const WORKER_ENV = {
  SCHEDULER_INTERVAL_MS: '250',
  SCHEDULER_BATCH_SIZE: String(scaled(50, 100)),
  SCHEDULER_LEASE_MS: String(LEASE_MS),
  EVENT_RELAY_INTERVAL_MS: '250',
  WEBHOOK_TIMEOUT_MS: String(WEBHOOK_TIMEOUT_MS),
  WEBHOOK_LEASE_MS: String(DELIVERY_LEASE_MS),
  // The receiver listens on loopback, which webhooks may reach only when listed.
  WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
  LOG_LEVEL: 'log',
};
const FAR_FUTURE = '2099-01-01T00:00:00.000Z';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

describe('Competing workers on PostgreSQL: timers fire exactly once, events are delivered, work is shared, a killed worker is covered', () => {
  const dbName = `rk_rel_workers_${randomBytes(5).toString('hex')}`;
  let dbUrl: string;
  let pool: pg.Pool;
  let receiver: Receiver;
  let workers: WorkerProcess[] = [];
  /** The template problem's version and its timer's event type; every clone carries both. */
  let template: { id: string; version: number; eventType: string; timerSuffix: string; assignedEventId: string };
  const roundOne: string[] = [];
  const roundTwo: string[] = [];
  const figures: Record<string, number | string> = { timers: TIMERS, 'unpublished events seeded': OUTBOX_EVENTS, workers: WORKERS };

  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => (await pool.query<T>(sql, params)).rows;
  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await query<{ n: string }>(sql, params))[0].n);

  beforeAll(async () => {
    const started = Date.now();
    // A fresh database; an unreachable PostgreSQL throws here and fails the suite.
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
    receiver = await startWebhookReceiver();

    // The engine in this process, only to migrate and make the organisation, the template problem and the
    // subscription: its scheduler and relay are off, the workers do that.
    const moduleRef = await Test.createTestingModule({
      imports: [
        IdentityModule,
        WorkerModule.forRoot({
          database: { kind: 'postgres', url: dbUrl, poolSize: 4 },
          events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0, webhookAllowedTargets: ['127.0.0.1/32'] },
          scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
          businessCalendar: 'CN',
        }),
      ],
    })
      .setLogger(new ConsoleLogger({ logLevels: ['error'] }))
      .compile();
    const context = await moduleRef.init();
    try {
      const identity = context.get(IdentityService);
      const org = await seedDemoOrganisation(identity);
      const adminUser = await identity.createUser('Reliability admin', 'admin');
      const subscription = await context.get(WebhooksService).create(adminUser.actor, { url: receiver.url });
      receiver.setSecret(subscription.secret);
      const engine = context.get(RectificationEngine);
      const filed = await engine.file(org.users.inspector.actor, {
        title: 'Template', description: 'd', category: 'c', severity: 'major', location: 'l', inspectionRef: 'REL-WORKERS', requirement: 'r',
      });
      await engine.send(org.users.inspector.actor, filed.id, { type: 'ASSIGN', departmentId: org.departments.facilities });
      const assigned = (await context.get(ProblemRepository).findById(filed.id))!;
      expect(assigned.nextTimer).not.toBeNull();
      expect(assigned.nextTimer!.id.startsWith(`${assigned.id}:`)).toBe(true);
      const [assignedEvent] = await query<{ id: string }>(
        "SELECT id FROM outbox_events WHERE problem_id = $1 AND type = 'problem.assigned'",
        [assigned.id],
      );
      template = {
        id: assigned.id,
        version: assigned.version,
        eventType: assigned.nextTimer!.event.type,
        timerSuffix: assigned.nextTimer!.id.slice(assigned.id.length),
        assignedEventId: assignedEvent.id,
      };
    } finally {
      await context.close();
    }

    await pool.query(INSTALL_PROBE_SQL);
    // Both rounds' problems, cloned from the template with raw SQL, their timers parked far in the future until the
    // round makes them due; the timer id names the clone and the template's version, as the engine plans it.
    roundOne.push(...Array.from({ length: TIMERS }, () => newId()));
    roundTwo.push(...Array.from({ length: KILL_ROUND_TIMERS }, () => newId()));
    const columns = (await query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'problems' ORDER BY ordinal_position",
    )).map((row) => row.column_name);
    const values = columns.map((column) => {
      if (column === 'id') return 'g.new_id';
      if (column === 'next_timer') return "jsonb_set(t.next_timer::jsonb, '{id}', to_jsonb(g.new_id || $3::text))::text";
      if (column === 'next_timer_at') return '$4::varchar';
      if (column === 'timer_lease_until' || column === 'timer_lease_owner') return 'NULL';
      return `t."${column}"`;
    });
    await pool.query(
      `INSERT INTO problems (${columns.map((column) => `"${column}"`).join(', ')}) ` +
        `SELECT ${values.join(', ')} FROM problems t CROSS JOIN unnest($1::text[]) AS g(new_id) WHERE t.id = $2`,
      [[...roundOne, ...roundTwo], template.id, template.timerSuffix, FAR_FUTURE],
    );
    expect(await count('SELECT count(*) AS n FROM problems')).toBe(1 + TIMERS + KILL_ROUND_TIMERS);

    // Three workers, started together; each waits until its scheduler runs.
    workers = await Promise.all(Array.from({ length: WORKERS }, (_, index) => startWorker(`rel-worker-${index + 1}`, { ...WORKER_ENV, DATABASE_URL: dbUrl })));
    figures['set-up (s)'] = ((Date.now() - started) / 1000).toFixed(1);
  }, scaled(120_000, 300_000));

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await receiver?.close();
    await pool?.end();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    reportFigures('competing workers (PostgreSQL, 3 worker processes)', figures);
  }, 60_000);

  /** Makes the given problems' timers due now, in one transaction (with `alsoInTransaction`, e.g. outbox events). */
  async function makeDue(ids: string[], alsoInTransaction?: (client: pg.PoolClient) => Promise<void>): Promise<string> {
    const dueAt = new Date(Date.now() - 1_000).toISOString();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "UPDATE problems SET next_timer_at = $2::text, next_timer = jsonb_set(jsonb_set(next_timer::jsonb, '{fireAt}', to_jsonb($2::text)), " +
          "'{event,scheduledFor}', to_jsonb($2::text))::text WHERE id = ANY($1::text[])",
        [ids, dueAt],
      );
      if (alsoInTransaction) await alsoInTransaction(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    return dueAt;
  }

  /** Nothing due, nothing unpublished, nothing undelivered (one statement: one snapshot), and the receiver has it all. */
  async function settled(): Promise<{ due: number; unpublished: number; undelivered: number; notReceived: number }> {
    const [row] = await query<{ due: string; unpublished: string; undelivered: string }>(
      'SELECT (SELECT count(*) FROM problems WHERE next_timer_at <= $1) AS due, ' +
        '(SELECT count(*) FROM outbox_events WHERE published_at IS NULL) AS unpublished, ' +
        "(SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered') AS undelivered",
      [new Date().toISOString()],
    );
    const result = { due: Number(row.due), unpublished: Number(row.unpublished), undelivered: Number(row.undelivered), notReceived: -1 };
    if (result.due === 0 && result.unpublished === 0 && result.undelivered === 0) {
      const ids = await query<{ id: string }>('SELECT id FROM outbox_events');
      result.notReceived = ids.filter(({ id }) => !receiver.receipts.has(id)).length;
    }
    return result;
  }

  async function waitSettled(timeoutMs: number): Promise<number> {
    return waitUntil(
      async () => {
        const state = await settled();
        return state.due === 0 && state.unpublished === 0 && state.undelivered === 0 && state.notReceived === 0;
      },
      timeoutMs,
      async () => `${JSON.stringify(await settled())}; worker errors: ${workers.flatMap((worker) => worker.errorLines()).slice(0, 5).join(' | ')}`,
    );
  }

  /** How the timers of `ids` fired, from the history: exactly once each means no duplicate, none missing, nothing else. */
  async function firings(ids: string[], dueAt: string): Promise<{ fired: number; duplicates: number; missing: number; unexpected: number; notAdvanced: number; firedEvents: number }> {
    const groups = await query<{ problem_id: string; event_type: string; scheduled_for: string | null; n: string }>(
      "SELECT problem_id, event_type, payload::jsonb->>'scheduledFor' AS scheduled_for, count(*) AS n FROM problem_history " +
        'WHERE problem_id = ANY($1::text[]) GROUP BY 1, 2, 3',
      [ids],
    );
    const expected = new Set<string>();
    let duplicates = 0;
    let unexpected = 0;
    for (const group of groups) {
      if (group.event_type === template.eventType && group.scheduled_for === dueAt) {
        expected.add(group.problem_id);
        duplicates += Number(group.n) - 1;
      } else {
        unexpected += Number(group.n);
      }
    }
    // Each clone now stands one version past the template, its lease released and its next timer no longer due.
    const notAdvanced = await count(
      'SELECT count(*) AS n FROM problems WHERE id = ANY($1::text[]) AND (version <> $2 OR next_timer_at <= $3 OR timer_lease_owner IS NOT NULL)',
      [ids, template.version + 1, dueAt],
    );
    // One outbox event per firing (problem_version: the fired version).
    const firedEvents = await count('SELECT count(*) AS n FROM outbox_events WHERE problem_id = ANY($1::text[]) AND problem_version = $2', [ids, template.version + 1]);
    return { fired: expected.size, duplicates, missing: ids.length - expected.size, unexpected, notAdvanced, firedEvents };
  }

  /** Every event in the outbox reached the receiver with a valid signature, and nothing else did. */
  async function deliveryCheck(): Promise<{ events: number; received: number; notReceived: number; unknown: number; redelivered: number; rejected: number; deliveryRows: number }> {
    const ids = new Set((await query<{ id: string }>('SELECT id FROM outbox_events')).map((row) => row.id));
    let notReceived = 0;
    for (const id of ids) if (!receiver.receipts.has(id)) notReceived += 1;
    let unknown = 0;
    let redelivered = 0;
    for (const [id, times] of receiver.receipts) {
      if (!ids.has(id)) unknown += 1;
      redelivered += times - 1;
    }
    const deliveryRows = await count('SELECT count(*) AS n FROM webhook_deliveries');
    return { events: ids.size, received: receiver.receipts.size, notReceived, unknown, redelivered, rejected: receiver.rejected(), deliveryRows };
  }

  async function firedBy(ids: string[]): Promise<Map<string, number>> {
    const rows = await query<{ app: string; n: string }>("SELECT app, count(*) AS n FROM rel_probe WHERE kind = 'fire' AND ref = ANY($1::text[]) GROUP BY app", [ids]);
    return new Map(rows.map((row) => [row.app, Number(row.n)]));
  }

  it('fires every timer exactly once, delivers every event, and shares the work between the three processes', async () => {
    // given three running workers; when N timers fall due at once and N unpublished events land in the outbox
    const started = Date.now();
    const dueAt = await makeDue(roundOne, async (client) => {
      const ids = Array.from({ length: OUTBOX_EVENTS }, () => newId());
      const columns = (await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'outbox_events' ORDER BY ordinal_position",
      )).rows.map((row) => row.column_name);
      const values = columns.map((column) => {
        if (column === 'id') return 'g.new_id';
        if (column === 'payload') return "jsonb_set(t.payload::jsonb, '{id}', to_jsonb(g.new_id))::text";
        if (column === 'published_at') return 'NULL';
        return `t."${column}"`;
      });
      await client.query(
        `INSERT INTO outbox_events (${columns.map((column) => `"${column}"`).join(', ')}) ` +
          `SELECT ${values.join(', ')} FROM outbox_events t CROSS JOIN unnest($1::text[]) AS g(new_id) WHERE t.id = $2`,
        [ids, template.assignedEventId],
      );
    });
    const timersDoneMs = await waitUntil(async () => (await count('SELECT count(*) AS n FROM problems WHERE next_timer_at <= $1', [new Date().toISOString()])) === 0,
      scaled(90_000, 300_000), async () => JSON.stringify(await settled()), 100);
    await waitSettled(scaled(90_000, 300_000));
    const seconds = (Date.now() - started) / 1000;

    // then each timer fired exactly once
    const fired = await firings(roundOne, dueAt);
    const delivered = await deliveryCheck();
    const share = await firedBy(roundOne);
    const publishedBy = new Map((await query<{ app: string; n: string }>("SELECT app, count(*) AS n FROM rel_probe WHERE kind = 'publish' GROUP BY app")).map((row) => [row.app, Number(row.n)]));
    const attemptsBy = new Map((await query<{ app: string; n: string }>("SELECT app, count(*) AS n FROM rel_probe WHERE kind = 'attempt' GROUP BY app")).map((row) => [row.app, Number(row.n)]));
    const errors = workers.flatMap((worker) => worker.errorLines());
    Object.assign(figures, {
      'round 1: timers fired': fired.fired,
      'round 1: duplicates': fired.duplicates,
      'round 1: missing': fired.missing,
      'round 1: all timers fired in (s)': (timersDoneMs / 1000).toFixed(1),
      'round 1: everything delivered in (s)': seconds.toFixed(1),
      'round 1: events in outbox': delivered.events,
      'round 1: events delivered (distinct ids received)': delivered.received,
      'round 1: events not delivered': delivered.notReceived,
      'round 1: unknown ids received': delivered.unknown,
      'round 1: redeliveries received': delivered.redelivered,
      ...Object.fromEntries(workers.map((worker) => [
        `round 1: ${worker.name} fired / published / webhook attempts`,
        `${share.get(worker.name) ?? 0} (${(((share.get(worker.name) ?? 0) / TIMERS) * 100).toFixed(1)} %) / ${publishedBy.get(worker.name) ?? 0} / ${attemptsBy.get(worker.name) ?? 0}`,
      ])),
      'round 1: worker error lines': errors.length,
    });

    expect(fired).toEqual({ fired: TIMERS, duplicates: 0, missing: 0, unexpected: 0, notAdvanced: 0, firedEvents: TIMERS });
    // every event reached the receiver (at least once), signed; nothing it did not know; one delivery per event
    expect(delivered).toMatchObject({ notReceived: 0, unknown: 0, rejected: 0, deliveryRows: delivered.events });
    expect(delivered.events).toBeGreaterThanOrEqual(OUTBOX_EVENTS + TIMERS);
    // and the three processes each fired a meaningful share, and nobody else fired any
    expect([...share.keys()].sort()).toEqual(workers.map((worker) => worker.name).sort());
    for (const worker of workers) expect(share.get(worker.name)!).toBeGreaterThanOrEqual(Math.ceil(TIMERS * 0.1));
    expect(errors).toEqual([]);
  }, scaled(150_000, 500_000));

  it('covers a worker SIGKILLed while it holds leased timers: the others fire them after the lease, exactly once', async () => {
    const victim = workers[1];
    const survivors = workers.filter((worker) => worker !== victim);
    const started = Date.now();
    const dueAt = await makeDue(roundTwo);

    // when the victim has done part of its share and holds a leased batch, it is killed mid-batch
    const partDone = Math.ceil(KILL_ROUND_TIMERS * 0.05);
    await waitUntil(
      async () =>
        ((await firedBy(roundTwo)).get(victim.name) ?? 0) >= partDone &&
        (await count('SELECT count(*) AS n FROM problems WHERE timer_lease_owner = $1', [victim.owner])) > 0,
      30_000,
      async () => `${victim.name} did not fire ${partDone} and hold a lease; ${JSON.stringify(await settled())}`,
      10,
    );
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    const ended = await victim.exited;
    expect(ended.signal).toBe('SIGKILL');
    // what it held and had not fired: rows still leased to it (firing releases the lease in the same commit)
    const orphans = await query<{ id: string; timer_lease_until: string }>('SELECT id, timer_lease_until FROM problems WHERE timer_lease_owner = $1', [victim.owner]);
    const firedBeforeKill = (await firedBy(roundTwo)).get(victim.name) ?? 0;
    // webhook deliveries claimed (leased) when it died; those still pending a few seconds later were the victim's
    const leasedAtKill = await query<{ id: string; next_attempt_at: string }>(
      "SELECT id, next_attempt_at FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > $1",
      [new Date(killedAt).toISOString()],
    );

    // then the others fire everything, the orphans once the lease has run out, and deliver every event
    const timersDoneMs = await waitUntil(async () => (await count('SELECT count(*) AS n FROM problems WHERE next_timer_at <= $1', [new Date().toISOString()])) === 0,
      scaled(90_000, 300_000), async () => JSON.stringify(await settled()), 100);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + WEBHOOK_TIMEOUT_MS - Date.now())));
    const stillHeld = await count(
      "SELECT count(*) AS n FROM webhook_deliveries d JOIN unnest($1::text[], $2::text[]) AS k(id, lease) ON d.id = k.id AND d.next_attempt_at = k.lease " +
        "WHERE d.status = 'pending'",
      [leasedAtKill.map((row) => row.id), leasedAtKill.map((row) => row.next_attempt_at)],
    );
    await waitSettled(DELIVERY_LEASE_MS + scaled(60_000, 240_000));
    const seconds = (Date.now() - started) / 1000;

    const fired = await firings(roundTwo, dueAt);
    const delivered = await deliveryCheck();
    const share = await firedBy(roundTwo);
    const orphanIds = orphans.map((orphan) => orphan.id);
    const orphanFirings = await query<{ ref: string; app: string; fired_at: Date }>(
      "SELECT ref, app, at AS fired_at FROM rel_probe WHERE kind = 'fire' AND ref = ANY($1::text[])",
      [orphanIds],
    );
    const leaseUntil = new Map(orphans.map((orphan) => [orphan.id, Date.parse(orphan.timer_lease_until)]));
    const firedEarly = orphanFirings.filter((firing) => firing.fired_at.getTime() + 10 < leaseUntil.get(firing.ref)!).length;
    const pickupMs = orphanFirings.length === 0 ? 0 : Math.max(...orphanFirings.map((firing) => firing.fired_at.getTime())) - killedAt;
    const errors = survivors.flatMap((worker) => worker.errorLines());
    Object.assign(figures, {
      'kill round: timers': KILL_ROUND_TIMERS,
      'kill round: fired by the victim before SIGKILL': firedBeforeKill,
      'kill round: leased timers orphaned by SIGKILL': orphans.length,
      'kill round: orphans fired by survivors': orphanFirings.filter((firing) => firing.app !== victim.name).length,
      'kill round: last orphan fired after kill (s)': (pickupMs / 1000).toFixed(1),
      'kill round: webhook deliveries held by the victim (sent again after their lease)': stillHeld,
      'kill round: timers fired': fired.fired,
      'kill round: duplicates': fired.duplicates,
      'kill round: missing': fired.missing,
      'kill round: all timers fired in (s)': (timersDoneMs / 1000).toFixed(1),
      'kill round: everything delivered in (s)': seconds.toFixed(1),
      'kill round: events delivered (distinct ids, both rounds)': delivered.received,
      'kill round: events not delivered': delivered.notReceived,
      'kill round: unknown ids received': delivered.unknown,
      'kill round: redeliveries received (both rounds)': delivered.redelivered,
      ...Object.fromEntries(workers.map((worker) => [`kill round: ${worker.name} fired`, share.get(worker.name) ?? 0])),
      'kill round: survivor error lines': errors.length,
    });

    expect(orphans.length).toBeGreaterThan(0);
    expect(fired).toEqual({ fired: KILL_ROUND_TIMERS, duplicates: 0, missing: 0, unexpected: 0, notAdvanced: 0, firedEvents: KILL_ROUND_TIMERS });
    // each orphan fired once, by a survivor, not before the victim's lease ran out
    expect(orphanFirings).toHaveLength(orphans.length);
    expect(new Set(orphanFirings.map((firing) => firing.ref)).size).toBe(orphans.length);
    expect(orphanFirings.every((firing) => survivors.some((worker) => worker.name === firing.app))).toBe(true);
    expect(firedEarly).toBe(0);
    // all fired by the three (the victim only before it died)
    expect([...share.values()].reduce((sum, n) => sum + n, 0)).toBe(KILL_ROUND_TIMERS);
    expect([...share.keys()].every((app) => workers.some((worker) => worker.name === app))).toBe(true);
    expect(delivered).toMatchObject({ notReceived: 0, unknown: 0, rejected: 0, deliveryRows: delivered.events });
    expect(errors).toEqual([]);
  }, DELIVERY_LEASE_MS + scaled(150_000, 500_000));
});
