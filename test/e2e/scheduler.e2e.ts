import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock } from '#domain';
import { ProblemRepository, RectificationEngine } from '#engine';
import { DeadlineScheduler, DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { uploadEvidence } from '../support/problem-steps.js';

interface HistoryRow {
  version: number;
  eventType: string;
  actorRole: string;
  payload: { scheduledFor?: string; level?: number; workingDaysBefore?: number };
  occurredAt: string;
}

describe('Deadline scheduler: reminders, the escalation ladder and catch-up, with a fake clock', () => {
  let t: TestApp;
  let scheduler: DeadlineScheduler;
  beforeAll(async () => {
    t = await createTestApp();
    scheduler = t.app.get(DeadlineScheduler);
  });
  afterAll(async () => {
    await t.close();
  });

  async function assignedMajorProblem(): Promise<string> {
    // Monday 2026-03-02 09:00 Shanghai; major: 10 working days → Monday 2026-03-16 18:00 Shanghai (10:00Z)
    t.clock.set('2026-03-02T01:00:00.000Z');
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ severity: 'major' }));
    const id = filed.body.id as string;
    const assigned = await t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' })
      .send({ type: 'ASSIGN', departmentId: t.org.departments.facilities });
    expect(assigned.body.deadline).toBe('2026-03-16T10:00:00.000Z');
    return id;
  }
  const timerEvents = async (id: string): Promise<HistoryRow[]> => {
    const history = await t.http().get(`/problems/${id}/history`).auth(t.tokens.admin, { type: 'bearer' });
    return (history.body.items as HistoryRow[]).filter((row) => row.actorRole === 'system');
  };
  const label = (row: HistoryRow) =>
    `${row.eventType}${row.payload.level ? `:${row.payload.level}` : ''}${row.payload.workingDaysBefore ? `:${row.payload.workingDaysBefore}` : ''}@${row.payload.scheduledFor}`;

  const LADDER = [
    'DEADLINE_REMINDER:3@2026-03-11T01:00:00.000Z',
    'DEADLINE_REMINDER:1@2026-03-13T01:00:00.000Z',
    'DEADLINE_PASSED@2026-03-16T10:00:00.000Z',
    'ESCALATE:1@2026-03-16T10:00:00.000Z',
    'ESCALATE:2@2026-03-19T10:00:00.000Z',
    'ESCALATE:3@2026-03-30T10:00:00.000Z',
  ];

  it('sends reminders before the deadline, then climbs the ladder one level at a time, each step exactly once', async () => {
    // given
    const id = await assignedMajorProblem();

    // when the clock moves through the weeks, sweeping at each step (and once more, to check nothing repeats)
    const seen: string[][] = [];
    for (const at of ['2026-03-10T12:00:00Z', '2026-03-11T01:00:00Z', '2026-03-13T02:00:00Z', '2026-03-16T10:00:00Z', '2026-03-19T09:59:59Z', '2026-03-19T10:00:00Z', '2026-04-30T00:00:00Z']) {
      t.clock.set(at);
      await scheduler.sweep();
      await scheduler.sweep();
      seen.push((await timerEvents(id)).map(label));
    }

    // then nothing fires early, reminders precede escalation, and every step fires once, in order
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual(LADDER.slice(0, 1));
    expect(seen[2]).toEqual(LADDER.slice(0, 2));
    expect(seen[3]).toEqual(LADDER.slice(0, 4));
    expect(seen[4]).toEqual(LADDER.slice(0, 4));
    expect(seen[5]).toEqual(LADDER.slice(0, 5));
    expect(seen[6]).toEqual(LADDER);
    const problem = await t.http().get(`/problems/${id}`).auth(t.tokens.admin, { type: 'bearer' });
    expect(problem.body).toMatchObject({ state: 'assigned' });
  });

  it('catches up after a 30-day outage: every step that fell due fires exactly once, in order, marked late', async () => {
    // given a problem assigned just before the scheduler went down
    const id = await assignedMajorProblem();

    // when it comes back 30 days later and sweeps twice
    t.clock.set('2026-04-01T01:00:00.000Z');
    const first = await scheduler.sweep();
    const second = await scheduler.sweep();

    // then
    expect(first.fired).toBe(6);
    expect(second.fired).toBe(0);
    const fired = await timerEvents(id);
    expect(fired.map(label)).toEqual(LADDER);
    expect(fired.every((row) => row.occurredAt === '2026-04-01T01:00:00.000Z')).toBe(true);
    // the outbox says which were late
    const outbox = await t.app.get(ProblemRepository).history(id);
    expect(outbox.filter((row) => row.actorRole === 'system')).toHaveLength(6);
  });

  it('loses and duplicates nothing when a scheduler dies holding leased timers: another fires them after the lease', async () => {
    // given a due timer leased by a scheduler that then crashed
    const id = await assignedMajorProblem();
    t.clock.set('2026-03-11T02:00:00.000Z');
    const problems = t.app.get(ProblemRepository);
    const crashedLease = await problems.claimDueTimers(t.clock.now().toISOString(), 10, 'crashed-worker', '2026-03-11T02:01:00.000Z');
    expect(crashedLease.map((problem) => problem.id)).toContain(id);

    // when another scheduler sweeps while the lease holds, and again after it ran out
    const during = await scheduler.sweep();
    const duringEvents = (await timerEvents(id)).map(label);
    t.clock.set('2026-03-11T02:01:01.000Z');
    const after = await scheduler.sweep();

    // then the timer fired exactly once, after the lease
    expect(duringEvents).toEqual([]);
    expect(during.fired).toBe(0);
    expect(after.fired).toBeGreaterThanOrEqual(1);
    expect((await timerEvents(id)).map(label)).toEqual(LADDER.slice(0, 1));
  });

  it('two schedulers sweeping together fire each due timer exactly once between them', async () => {
    // given 12 problems whose first reminder is due
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) ids.push(await assignedMajorProblem());
    t.clock.set('2026-03-11T03:00:00.000Z');
    const other = new DeadlineScheduler(
      t.app.get(ProblemRepository),
      t.app.get(RectificationEngine),
      t.app.get(Clock),
      { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0, batchSize: 3 },
    );

    // when both sweep at once
    const [a, b] = await Promise.all([scheduler.sweep(), other.sweep()]);

    // then every problem got its one reminder, and the two together fired exactly that many
    for (const id of ids) expect((await timerEvents(id)).map(label)).toEqual(LADDER.slice(0, 1));
    expect(a.fired + b.fired).toBe(12);
  });

  it('pauses the clock while a rectification awaits verification, and escalates an unverified one on the verifying side', async () => {
    // given a problem submitted for verification before its deadline
    const id = await assignedMajorProblem();
    const send = (token: string, body: Record<string, unknown>) =>
      t.http().post(`/problems/${id}/events`).auth(token, { type: 'bearer' }).send(body);
    await send(t.tokens.facilities, { type: 'START', measures: 'm', responsiblePerson: 'Wang', plannedCompletionDate: '2026-03-10' });
    t.clock.set('2026-03-05T02:00:00.000Z');
    expect((await uploadEvidence(t, t.tokens.facilities, id)).status).toBe(201);
    await send(t.tokens.facilities, { type: 'SUBMIT', summary: 'done' });

    // when the deadline passes while nobody verifies (5 working days from Thursday 03-05: Thursday 03-12 18:00)
    t.clock.set('2026-03-20T02:00:00.000Z');
    await scheduler.sweep();

    // then no rectification timer fired, only the verification one, with a notice to the inspecting office
    expect((await timerEvents(id)).map(label)).toEqual(['VERIFICATION_OVERDUE@2026-03-12T10:00:00.000Z']);
    const inbox = await t.http().get('/me/notices').auth(t.tokens.supervisor, { type: 'bearer' });
    expect(inbox.body.items.some((notice: { problemId: string; kind: string }) => notice.problemId === id && notice.kind === 'verification')).toBe(true);

    // and when the inspector rejects it, the clock resumes without forgiving the time: overdue, escalating
    await send(t.tokens.inspector, { type: 'REJECT', reason: 'not done' });
    await scheduler.sweep();
    const labels = (await timerEvents(id)).map(label);
    expect(labels).toEqual([
      'VERIFICATION_OVERDUE@2026-03-12T10:00:00.000Z',
      'DEADLINE_REMINDER:3@2026-03-11T01:00:00.000Z',
      'DEADLINE_REMINDER:1@2026-03-13T01:00:00.000Z',
      'DEADLINE_PASSED@2026-03-16T10:00:00.000Z',
      'ESCALATE:1@2026-03-16T10:00:00.000Z',
      'ESCALATE:2@2026-03-19T10:00:00.000Z',
    ]);
    const deadline = await t.http().get(`/problems/${id}/deadline`).auth(t.tokens.inspector, { type: 'bearer' });
    expect(deadline.body).toMatchObject({ overdue: true });
  });

  it('addresses each escalation level\'s notice up the department tree, and lets its recipients acknowledge it', async () => {
    // given a problem escalated to level 2
    const id = await assignedMajorProblem();
    t.clock.set('2026-03-19T11:00:00.000Z');
    await scheduler.sweep();

    // then level 1 went to the responsible department (its head), level 2 to the supervising office
    const facilitiesInbox = (await t.http().get('/me/notices').auth(t.tokens.facilities, { type: 'bearer' })).body.items as Array<Record<string, unknown>>;
    const officeInbox = (await t.http().get('/me/notices').auth(t.tokens.supervisor, { type: 'bearer' })).body.items as Array<Record<string, unknown>>;
    const mine = (items: Array<Record<string, unknown>>) => items.filter((notice) => notice.problemId === id);
    expect(mine(facilitiesInbox).map((n) => [n.kind, n.level, n.recipientUserId])).toEqual([
      ['escalation', 1, t.org.users.facilities.actor.userId],
    ]);
    expect(mine(officeInbox).map((n) => [n.kind, n.level, n.recipientDepartmentId])).toEqual([
      ['escalation', 2, t.org.departments.office],
    ]);
    const productionInbox = (await t.http().get('/me/notices').auth(t.tokens.production, { type: 'bearer' })).body.items as Array<Record<string, unknown>>;
    expect(mine(productionInbox)).toEqual([]);

    // when the facilities head acknowledges theirs
    const notice = mine(facilitiesInbox)[0];
    const ack = await t.http().post(`/me/notices/${notice.id}/acknowledge`).auth(t.tokens.facilities, { type: 'bearer' });
    const notMine = await t.http().post(`/me/notices/${notice.id}/acknowledge`).auth(t.tokens.production, { type: 'bearer' });

    // then it is recorded (who, when), and nobody else can acknowledge it
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ acknowledgedBy: t.org.users.facilities.actor.userId, acknowledgedAt: '2026-03-19T11:00:00.000Z' });
    // and a notice names its problem by title, in the inbox and once acknowledged
    const { body: problem } = await t.http().get(`/problems/${id}`).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(problem.title).toEqual(expect.any(String));
    expect(mine(officeInbox).map((n) => n.problemTitle)).toEqual([problem.title]);
    expect(ack.body.problemTitle).toBe(problem.title);
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('NOTICE.NOT_FOUND');
  });
});
