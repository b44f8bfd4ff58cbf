import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Database, OutboxEventEntity } from '#persistence';
import { DeadlineScheduler } from '#scheduler';
import { uploadEvidence } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/*
 * Traffic lights (红黄绿灯) by time left, under the deadline policy a problem runs under: green on track, yellow from
 * the first reminder, red once overdue, black from the policy's ladder step (version 1: level 3, listed supervision).
 */
describe('Traffic lights over HTTP', () => {
  let t: TestApp;
  let scheduler: DeadlineScheduler;
  beforeAll(async () => {
    t = await createTestApp();
    scheduler = t.app.get(DeadlineScheduler);
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
  });
  const lightOf = async (id: string) => (await as(t.tokens.supervisor).get(`/problems/${id}`)).body.light as string | null;
  const listed = async (query: string) =>
    ((await as(t.tokens.supervisor).get(`/problems?${query}`)).body.items as Array<{ id: string }>).map((item) => item.id);
  const sweepAt = async (instant: string) => {
    t.clock.set(instant);
    while ((await scheduler.sweep()).fired > 0);
  };
  /** The light changes the problem's outbox events carry, in order. */
  const lightChanges = async (id: string) =>
    (await t.app.get(Database).read((manager) => manager.find(OutboxEventEntity, { where: { problemId: id }, order: { problemVersion: 'ASC' } })))
      .map((row) => JSON.parse(row.payload) as { type: string; lightChanged?: { from: string | null; to: string | null } })
      .filter((body) => body.lightChanged)
      .map((body) => `${body.type}: ${body.lightChanged!.from} → ${body.lightChanged!.to}`);

  /** A major problem filed and assigned on Monday 2026-03-02: due Monday 03-16, 18:00 Shanghai, under version 1. */
  async function assignedMajor(category = 'fire-safety'): Promise<string> {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const { id } = (await as(t.tokens.inspector).post('/problems', aFiling({ severity: 'major', category }))).body;
    expect((await as(t.tokens.inspector).post(`/problems/${id}/events`, { type: 'ASSIGN', departmentId: t.org.departments.facilities })).status).toBe(200);
    return id as string;
  }

  let lit: string;

  it('lights a problem green once assigned, yellow from the first reminder, red once overdue, black at listed supervision', async () => {
    lit = await assignedMajor();
    expect(await lightOf(lit)).toBe('green');

    await sweepAt('2026-03-11T02:00:00.000Z'); // the reminder 3 working days before
    expect(await lightOf(lit)).toBe('yellow');

    await sweepAt('2026-03-16T11:00:00.000Z'); // the deadline passed, escalation level 1
    expect(await lightOf(lit)).toBe('red');

    await sweepAt('2026-03-19T11:00:00.000Z'); // level 2, to the supervising office: still red
    expect(await lightOf(lit)).toBe('red');

    await sweepAt('2026-03-30T11:00:00.000Z'); // level 3, listed supervision (挂牌督办)
    expect(await lightOf(lit)).toBe('black');
    // each change is in the event that made it, and only there
    expect(await lightChanges(lit)).toEqual([
      'problem.assigned: null → green',
      'problem.deadline_approaching: green → yellow',
      'problem.overdue: yellow → red',
      'problem.escalated: red → black',
    ]);
  });

  it('names each ladder step in its escalation event, as the policy calls it', async () => {
    const escalations = (await t.app.get(Database).read((manager) => manager.find(OutboxEventEntity, { where: { problemId: lit }, order: { problemVersion: 'ASC' } })))
      .map((row) => JSON.parse(row.payload) as { type: string; data?: { level?: number; step?: string } })
      .filter((body) => body.type === 'problem.escalated')
      .map((body) => [body.data?.level, body.data?.step]);
    expect(escalations).toEqual([
      [1, '一级督办'],
      [2, '二级督办'],
      [3, '挂牌督办'],
    ]);
  });

  it('filters lists, counts and the ledger by light, and writes it in the exports', async () => {
    const fresh = await assignedMajor();

    expect(await listed('light=red,black')).toContain(lit);
    expect(await listed('light=red,black')).not.toContain(fresh);
    expect(await listed('light=green')).toEqual([fresh]);
    expect((await as(t.tokens.supervisor).get('/problems/counts?light=black')).body.total).toBe(1);
    const ledger = await as(t.tokens.supervisor).get('/ledger?light=black');
    expect((ledger.body.items as Array<{ id: string; light: string }>).map((row) => [row.id, row.light])).toEqual([[lit, 'black']]);
    const csv = await as(t.tokens.supervisor).get('/ledger?format=csv&light=black');
    expect(csv.text).toContain('灯色');
    expect(csv.text).toContain('黑灯');
    const wrong = await as(t.tokens.supervisor).get('/problems?light=purple');
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('VALIDATION_FAILED');
  });

  it('puts the light out while the verifier has the problem, and lights it again when the work is sent back', async () => {
    const id = await assignedMajor();
    const facilities = as(t.tokens.facilities);
    const send = (token: string, body: Record<string, unknown>) => as(token).post(`/problems/${id}/events`, body);
    expect((await send(t.tokens.facilities, { type: 'START', measures: 'Clear the exit', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-06' })).status).toBe(200);

    expect((await uploadEvidence(t, t.tokens.facilities, id)).status).toBe(201);
    expect((await facilities.post(`/problems/${id}/events`, { type: 'SUBMIT', summary: 'Cleared' })).status).toBe(200);
    expect(await lightOf(id)).toBeNull();
    expect((await send(t.tokens.inspector, { type: 'REJECT', reason: 'Pallets still there' })).status).toBe(200);

    expect(await lightOf(id)).toBe('green');
    expect(await lightChanges(id)).toEqual(['problem.assigned: null → green', 'problem.submitted: green → null', 'problem.rejected: null → green']);
  });

  it('lights black from the step the policy version in force names, for problems assigned under it', async () => {
    const current = (await as(t.tokens.admin).get('/deadline-policy')).body as { policy: Record<string, unknown> & { version: number } };
    const { id: _id, version, ...draft } = current.policy;
    const refused = await as(t.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version, policy: { ...draft, lights: { kind: 'timeLeft', blackFromEscalationLevel: 4 } } });
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields).toEqual([{ field: 'lights.blackFromEscalationLevel', messages: [expect.stringContaining('1 to 3')] }]);
    const published = await as(t.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version, policy: { ...draft, lights: { kind: 'timeLeft', blackFromEscalationLevel: 1 } } });
    expect(published.status).toBe(201);

    const id = await assignedMajor();
    await sweepAt('2026-03-16T11:00:00.000Z');

    expect(await lightOf(id)).toBe('black');
    // the problem assigned under version 1 before stays as it was lit
    expect(await lightOf(lit)).toBe('black');
  });

  it('lights by progress under a version whose rule is by progress: yellow and red as the plan runs ahead of the reported percent, with their own events in the outbox and the history', async () => {
    // given a version lighting by progress: yellow 20 points behind the plan, red 40
    const current = (await as(t.tokens.admin).get('/deadline-policy')).body as { policy: Record<string, unknown> & { version: number } };
    const { id: _id, version, ...draft } = current.policy;
    const rule = { kind: 'progress', yellowLagPoints: 20, redLagPoints: 40, blackFromEscalationLevel: 3 };
    const refused = await as(t.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version, policy: { ...draft, lights: { ...rule, redLagPoints: 10 } } });
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields).toEqual([{ field: 'lights.redLagPoints', messages: [expect.stringContaining('yellowLagPoints')] }]);
    const missing = await as(t.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version, policy: { ...draft, lights: { kind: 'progress', blackFromEscalationLevel: null } } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.details)).toContain('yellowLagPoints');
    const published = await as(t.tokens.admin).post('/admin/deadline-policy', { basedOnVersion: version, policy: { ...draft, lights: rule } });
    expect(published.status).toBe(201);
    expect(published.body.policy.lights).toEqual(rule);

    // when a major problem is assigned on Monday 2 March (10 working days, due Monday 16 March) and nothing is reported
    const id = await assignedMajor();
    const send = (token: string, body: Record<string, unknown>) => as(token).post(`/problems/${id}/events`, body);
    expect((await send(t.tokens.facilities, { type: 'START', measures: 'Clear it', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-13' })).status).toBe(200);
    expect(await lightOf(id)).toBe('green');

    // then 2 working days gone (20 %) against 0 % reported: yellow at the end of Wednesday
    await sweepAt('2026-03-04T09:59:00.000Z');
    expect(await lightOf(id)).toBe('green');
    await sweepAt('2026-03-04T10:00:00.000Z');
    expect(await lightOf(id)).toBe('yellow');
    expect(await listed('light=yellow')).toContain(id);

    // 30 % reported on Thursday: green again, until the plan is 20 points ahead of 30 % (5 days, end of Monday 9 March)
    t.clock.set('2026-03-05T02:00:00.000Z');
    expect((await send(t.tokens.facilities, { type: 'REPORT_PROGRESS', note: '清理了三成', percent: 30 })).status).toBe(200);
    expect(await lightOf(id)).toBe('green');
    await sweepAt('2026-03-09T10:00:00.000Z');
    expect(await lightOf(id)).toBe('yellow');
    await sweepAt('2026-03-11T02:00:00.000Z'); // the reminder, 3 working days before: 6 days (60 %) gone, still yellow
    expect(await lightOf(id)).toBe('yellow');
    await sweepAt('2026-03-11T10:00:00.000Z'); // 7 days (70 %) at 18:00: red
    expect(await lightOf(id)).toBe('red');

    expect(await lightChanges(id)).toEqual([
      'problem.assigned: null → green',
      'problem.behind_plan: green → yellow',
      'problem.progress_reported: yellow → green',
      'problem.behind_plan: green → yellow',
      'problem.behind_plan: yellow → red',
    ]);
    // the history records each crossing with the plan's percent
    const history = (await as(t.tokens.supervisor).get(`/problems/${id}/history`)).body.items as Array<{ eventType: string; payload: Record<string, unknown> }>;
    expect(history.filter((row) => row.eventType === 'BEHIND_PLAN').map((row) => [row.payload.light, row.payload.plannedPercent])).toEqual([
      ['yellow', 20],
      ['yellow', 50],
      ['red', 70],
    ]);
  });
});
