import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLUSTER_BUS_APPLICATION, Database } from '#persistence';
import { StreamClient, type StreamMessage } from '../support/event-stream.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/*
 * Two servers on one PostgreSQL, as the README's "several servers" layout runs them: neither relays the outbox
 * (EVENT_RELAY_INTERVAL_MS=0) and no worker runs, so whatever a stream receives came from the commit itself. Always
 * on PostgreSQL, whatever TEST_DATABASE says: SQLite is one process.
 */
describe('Several servers on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  const open: StreamClient[] = [];

  beforeAll(async () => {
    a = await createTestApp({ database: await createTestDatabase('postgres') });
    b = await createTestApp({ restartOf: a });
  });
  afterAll(async () => {
    for (const stream of open) stream.close();
    await b.stop();
    await a.close();
  });

  async function stream(server: TestApp, token: string): Promise<StreamClient> {
    const opened = await StreamClient.open(server, token);
    expect(opened.status).toBe(200);
    open.push(opened);
    return opened;
  }

  const as = (server: TestApp, token: string) => ({
    get: (path: string) => server.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => server.http().post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: Record<string, unknown>) => server.http().patch(path).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => server.http().delete(path).auth(token, { type: 'bearer' }),
  });

  let filings = 0;
  async function file(server: TestApp, overrides: Record<string, unknown> = {}): Promise<string> {
    filings += 1;
    const filed = await as(server, server.tokens.inspector).post('/problems', aFiling({ title: `Cluster finding ${filings}`, ...overrides }));
    expect(filed.status).toBe(201);
    return filed.body.id as string;
  }

  async function assign(server: TestApp, id: string, departmentId: string): Promise<void> {
    const assigned = await as(server, server.tokens.inspector).post(`/problems/${id}/events`, { type: 'ASSIGN', departmentId });
    expect(assigned.status).toBe(200);
  }

  const of = (problemId: string, messages: StreamMessage[]) => messages.filter((message) => message.data.problem.id === problemId);

  /** Every event id in the outbox, in id order. */
  const outboxIds = async () =>
    (await a.app.get(Database).sqlRead((sql) => sql.all<{ id: string }>('SELECT id FROM outbox_events ORDER BY id'))).map((row) => row.id);

  const sql = <T>(text: string, params: unknown[] = []) => a.app.get(Database).sqlRead((session) => session.all<T>(text, params));
  /** The backends of the servers' listening connections. */
  const listeners = async () =>
    (
      await sql<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()', [
        CLUSTER_BUS_APPLICATION,
      ])
    ).map((row) => row.pid);

  async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  function percentile(sorted: number[], share: number): number {
    return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
  }

  it("gives a stream on one server every event committed through the other, once each, in commit order, within 1 s", async () => {
    // given an admin's stream on each server (nothing relays)
    const onA = await stream(a, a.tokens.admin);
    const onB = await stream(b, b.tokens.admin);
    const before = new Set(await outboxIds());

    // when findings are filed through B, one after another, each timed until A's stream shows it
    const latencies: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const started = performance.now();
      const id = await file(b);
      await onA.waitFor((received) => of(id, received).length > 0, 1000);
      latencies.push(performance.now() - started);
    }
    // and then a burst through both servers at once: filings and assignments interleaved
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => file(i % 2 === 0 ? a : b)));
    await Promise.all(burst.map((id, i) => assign(i % 2 === 0 ? b : a, id, a.org.departments.facilities)));

    // then both streams carry exactly the committed events, each once, in one and the same (commit) order
    const committed = (await outboxIds()).filter((id) => !before.has(id));
    expect(committed).toHaveLength(100 + 2 * burst.length);
    const done = (received: StreamMessage[]) => received.length >= committed.length;
    const seenOnA = (await onA.waitFor(done)).map((message) => message.id);
    const seenOnB = (await onB.waitFor(done)).map((message) => message.id);
    await onA.settle();
    expect(onA.messages).toHaveLength(committed.length);
    expect(new Set(seenOnA)).toEqual(new Set(committed));
    expect(seenOnB).toEqual(seenOnA);
    for (const id of burst) expect(of(id, onA.messages).map((message) => message.event)).toEqual(['problem.filed', 'problem.assigned']);

    const sorted = [...latencies].sort((x, y) => x - y);
    const figures = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1)! };
    console.log(
      `Fan-out B → A over LISTEN/NOTIFY, ${latencies.length} events, filing request sent to event on the other server's stream: ` +
        `p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms`,
    );
    expect(figures.max).toBeLessThan(1000);
  }, 30_000);

  it('loses nothing and repeats nothing when the listening connections are cut', async () => {
    // given a stream on A that has seen B's last filing
    const onA = await stream(a, a.tokens.admin);
    const first = await file(b);
    await onA.waitFor((received) => of(first, received).length > 0);

    // when PostgreSQL ends both servers' listening connections, and findings are filed through B meanwhile
    const cut = await listeners();
    expect(cut).toHaveLength(2);
    await sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?::int[])', [cut]);
    const meanwhile = [];
    for (let i = 0; i < 10; i += 1) meanwhile.push(await file(b));
    // and more once both listen again, on new connections
    await waitUntil(async () => (await listeners()).filter((pid) => !cut.includes(pid)).length === 2);
    const after = await file(b);

    // then A's stream has every one of them, once each
    await onA.waitFor((received) => of(after, received).length > 0);
    await onA.settle();
    const filed = onA.messages.filter((message) => message.event === 'problem.filed').map((message) => message.data.problem.id);
    expect(filed).toEqual([first, ...meanwhile, after]);
    const ids = onA.messages.map((message) => message.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('passes on after a reconnect nothing committed before the server first listened', async () => {
    // given findings filed through A, then a third server starting on the database, with a stream open on it
    await file(a);
    await file(a);
    const c = await createTestApp({ restartOf: a });
    try {
      const onC = await stream(c, c.tokens.admin);

      // when the listening connections are cut, and a finding is filed through A once all listen again
      const cut = await listeners();
      await sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?::int[])', [cut]);
      await waitUntil(async () => (await listeners()).filter((pid) => !cut.includes(pid)).length === cut.length);
      const after = await file(a);

      // then C's catch-up passed on none of the findings filed before it started: its stream has the new one only
      await onC.waitFor((received) => of(after, received).length > 0);
      expect((await onC.settle()).map((message) => message.data.problem.id)).toEqual([after]);
    } finally {
      await c.stop();
    }
  });

  it('ignores notifications on its channels that are not what its trigger and its peers send', async () => {
    // given a stream on A
    const onA = await stream(a, a.tokens.admin);

    // when anyone who can connect sends rubbish on both channels, and then a finding is filed through B
    await sql("SELECT pg_notify('outbox_events', 'not-an-id'), pg_notify('outbox_events', '01900000-0000-7000-8000-000000000000')");
    await sql("SELECT pg_notify('cluster_signals', '{not json'), pg_notify('cluster_signals', ?)", [
      JSON.stringify({ origin: 'elsewhere', name: 'process.exit', body: {} }),
    ]);
    const id = await file(b);

    // then the stream goes on with the real event only
    await onA.waitFor((received) => of(id, received).length > 0);
    expect((await onA.settle()).map((message) => message.data.problem.id)).toEqual([id]);
  });

  it("counts B's very next deadline on the calendar version A has just stored", async () => {
    // given a major finding filed through B on Monday 2026-03-02 (10 working days: Monday 03-16 on version 1)
    b.clock.set('2026-03-02T01:00:00.000Z');
    const id = await file(b, { severity: 'major' });

    // when an admin closes the organisation on Thursday 03-05 through A
    const closed = await as(a, a.tokens.admin).post('/admin/calendar/closures', { date: '2026-03-05', reason: 'Power maintenance' });
    expect(closed.status).toBe(201);
    const version = closed.body.version as number;

    // then B's next assignment counts on that version, skipping the closure
    await assign(b, id, b.org.departments.facilities);
    const explained = await as(b, b.tokens.inspector).get(`/problems/${id}/deadline`);
    expect(explained.body).toMatchObject({ deadline: '2026-03-17T10:00:00.000Z', basis: { calendarVersion: version } });
    // and B's next calendar edit builds on it instead of answering 409
    const removed = await as(b, b.tokens.admin).delete('/admin/calendar/closures/2026-03-05');
    expect(removed.status).toBe(200);
    expect(removed.body.version).toBe(version + 1);
  });

  it("counts B's very next deadline under the deadline policy version A has just published", async () => {
    // given a major finding filed through B on Monday 2026-03-02
    b.clock.set('2026-03-02T01:00:00.000Z');
    const id = await file(b, { severity: 'major', category: 'cluster-policy' });

    // when an admin publishes through A a version giving that category 4 working days
    const current = (await as(a, a.tokens.admin).get('/deadline-policy')).body as { policy: Record<string, unknown> & { version: number } };
    const { id: _id, version, ...draft } = current.policy;
    const periods = { critical: 4, major: 4, general: 4, minor: 4 };
    const published = await as(a, a.tokens.admin).post('/admin/deadline-policy', {
      basedOnVersion: version,
      policy: { ...draft, categories: [{ category: 'cluster-policy', rectificationWorkingDays: periods }] },
    });
    expect(published.status).toBe(201);

    // then B's next assignment counts and stamps with it
    await assign(b, id, b.org.departments.facilities);
    const explained = await as(b, b.tokens.inspector).get(`/problems/${id}/deadline`);
    expect(explained.body).toMatchObject({ deadline: '2026-03-06T10:00:00.000Z', basis: { policyVersion: version + 1, workingDays: 4 }, policy: { version: version + 1 } });
    // and B's next publication builds on it instead of answering 409
    const next = await as(b, b.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version + 1, policy: { ...draft, name: 'B 的版本' } });
    expect(next.status).toBe(201);
    expect(next.body.policy.version).toBe(version + 2);
  });

  it("moves B's scope checks, its stream's included, with a department A moves", async () => {
    // given a supervisor of a new office, whose stream is open on B, and a unit of the demo office
    const admin = as(a, a.tokens.admin);
    const office = (await admin.post('/admin/departments', { name: 'Cluster office' })).body.id as string;
    const unit = (await admin.post('/admin/departments', { name: 'Cluster unit', parentId: a.org.departments.office })).body.id as string;
    const supervisor = await admin.post('/admin/users', { name: 'Cluster supervisor', role: 'supervisor', departmentId: office });
    expect(supervisor.status).toBe(201);
    const token = supervisor.body.token.token as string;
    const onB = await stream(b, token);

    // when A moves the unit under the office, and a finding is assigned to the unit
    expect((await admin.patch(`/admin/departments/${unit}`, { parentId: office })).status).toBe(200);
    const inside = await file(a);
    await assign(a, inside, unit);

    // then B's stream shows it, and B lets the supervisor read it
    await onB.waitFor((received) => of(inside, received).some((message) => message.event === 'problem.assigned'), 1000);
    expect((await as(b, token).get(`/problems/${inside}`)).status).toBe(200);

    // when A moves the unit back
    expect((await admin.patch(`/admin/departments/${unit}`, { parentId: a.org.departments.office })).status).toBe(200);
    const outside = await file(a);
    await assign(a, outside, unit);

    // then neither B's stream nor B's next request shows the unit's new finding
    expect(of(outside, await onB.settle())).toEqual([]);
    expect((await as(b, token).get(`/problems/${outside}`)).status).toBe(404);
  });

  it('refuses on B, and ends the stream open on B, a token A has just revoked', async () => {
    // given a department user's token, with a stream open on B
    const admin = as(a, a.tokens.admin);
    const user = await admin.post('/admin/users', { name: 'Cluster department user', role: 'department', departmentId: a.org.departments.facilities });
    const token = user.body.token.token as string;
    const onB = await stream(b, token);
    expect((await as(b, token).get('/me')).status).toBe(200);

    // when an admin revokes it through A
    expect((await admin.post(`/admin/tokens/${user.body.token.id as string}/revoke`)).status).toBe(200);

    // then B refuses its next request, and ends its stream at once (not on the periodic re-check, 30 s away)
    expect((await as(b, token).get('/me')).status).toBe(401);
    expect(await onB.waitForEnd(1000)).toBe('token_revoked');
  });
});
