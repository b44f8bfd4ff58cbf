import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { aFindingRow, toCsv } from '../support/findings-files.js';
import { eventBody, expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

describe('Working-day deadlines over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    file: (overrides: Record<string, unknown> = {}) =>
      t.http().post('/problems').auth(token, { type: 'bearer' }).send(aFiling(overrides)),
    send: (id: string, body: Record<string, unknown>) =>
      t.http().post(`/problems/${id}/events`).auth(token, { type: 'bearer' }).send(body),
    deadline: (id: string) => t.http().get(`/problems/${id}/deadline`).auth(token, { type: 'bearer' }),
  });

  it('counts the policy\'s working days for the severity when ASSIGN gives no deadline', async () => {
    // given Monday 2026-03-02 09:00 in Shanghai, and a major problem (10 working days)
    t.clock.set('2026-03-02T01:00:00.000Z');
    const inspector = as(t.tokens.inspector);
    const { id } = (await inspector.file({ severity: 'major' })).body;

    // when it is assigned without a deadline
    const assigned = await inspector.send(id, { type: 'ASSIGN', departmentId: t.org.departments.facilities });

    // then the deadline is the end of the working day (18:00 Shanghai) of the 10th working day after Monday
    expect(assigned.status).toBe(200);
    expect(assigned.body.deadline).toBe('2026-03-16T10:00:00.000Z');
    const explained = await inspector.deadline(id);
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({
      deadline: '2026-03-16T10:00:00.000Z',
      basis: { kind: 'policy', policyId: 'default', calendarId: 'cn-mainland', workingDays: 10, provisional: false },
      calendar: { id: 'cn-mainland', timeZone: 'Asia/Shanghai' },
      stampedCalendarAvailable: true,
      elapsedWorkingDays: 0,
      remainingWorkingDays: 10,
      overdue: false,
      clockRunning: true,
    });
    expect(explained.body.counting.counted).toHaveLength(10);
    expect(explained.body.counting.skipped.map((day: { date: string; kind: string }) => `${day.date}:${day.kind}`)).toEqual([
      '2026-03-07:weekend', '2026-03-08:weekend', '2026-03-14:weekend', '2026-03-15:weekend',
    ]);
  });

  it('explains a deadline spanning the Spring Festival and a make-up working day', async () => {
    // given Friday 2026-02-13 10:00 in Shanghai, just before the Spring Festival (Feb 15–23; Sat Feb 14 is worked)
    t.clock.set('2026-02-13T02:00:00.000Z');
    const supervisor = as(t.tokens.supervisor);
    const { id } = (await supervisor.file({ severity: 'critical' })).body;

    // when a critical problem (3 working days) is assigned
    const assigned = await supervisor.send(id, { type: 'ASSIGN', departmentId: t.org.departments.production });

    // then Sat Feb 14 counts, the holiday does not, and the deadline is Wed Feb 25, 18:00 Shanghai
    expect(assigned.body.deadline).toBe('2026-02-25T10:00:00.000Z');
    const { body } = await supervisor.deadline(id);
    expect(body.counting.counted).toEqual([
      { date: '2026-02-14', ordinal: 1, makeUpFor: expect.any(String) },
      { date: '2026-02-24', ordinal: 2 },
      { date: '2026-02-25', ordinal: 3 },
    ]);
    const skipped = body.counting.skipped as Array<{ date: string; kind: string; name?: string }>;
    expect(skipped.map((day) => day.date)).toEqual([
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
    ]);
    expect(skipped.every((day) => day.kind === 'holiday' && typeof day.name === 'string' && day.name.length > 0)).toBe(true);
  });

  it('keeps an explicit deadline as given, and plans reminders and the escalation ladder up the department tree', async () => {
    // given
    t.clock.set('2026-03-02T01:00:00.000Z');
    const inspector = as(t.tokens.inspector);
    const { id } = (await inspector.file({ severity: 'minor' })).body;

    // when assigned with an explicit deadline (Friday 2026-03-20, 18:00 Shanghai)
    const assigned = await inspector.send(id, {
      type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-03-20T18:00:00+08:00',
    });

    // then
    expect(assigned.body.deadline).toBe('2026-03-20T10:00:00.000Z');
    const { body } = await inspector.deadline(id);
    expect(body.basis).toEqual({ kind: 'explicit', setAt: '2026-03-02T01:00:00.000Z' });
    expect(body.counting.workingDays).toBe(14);
    expect(body.schedule).toEqual([
      { kind: 'reminder', workingDaysBefore: 3, at: '2026-03-17T01:00:00.000Z', due: false },
      { kind: 'reminder', workingDaysBefore: 1, at: '2026-03-19T01:00:00.000Z', due: false },
      { kind: 'escalation', level: 1, name: '一级督办', workingDaysAfterDeadline: 0, recipients: 'departmentHead', at: '2026-03-20T10:00:00.000Z', due: false },
      { kind: 'escalation', level: 2, name: '二级督办', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', at: '2026-03-25T10:00:00.000Z', due: false },
      { kind: 'escalation', level: 3, name: '挂牌督办', workingDaysAfterDeadline: 10, recipients: 'leadership', at: '2026-04-03T10:00:00.000Z', due: false },
    ]);
    expect(body.recipients.departmentHead).toEqual({
      departmentId: t.org.departments.facilities,
      departmentName: expect.stringContaining('Facilities'),
      headUserId: t.org.users.facilities.actor.userId,
      headName: 'Wang Fang (Facilities)',
    });
    expect(body.recipients.supervisingOffice).toMatchObject({
      departmentId: t.org.departments.office,
      headUserId: t.org.users.supervisor.actor.userId,
    });

    // and once the deadline has passed while the department still has it, it is overdue
    t.clock.set('2026-03-24T02:00:00.000Z');
    const late = (await inspector.deadline(id)).body;
    expect(late).toMatchObject({ overdue: true, remainingWorkingDays: -2 });
    expect(late.schedule.filter((step: { due: boolean }) => step.due)).toHaveLength(3);
  });

  it('answers 404 for a problem outside the caller\'s scope, as for any read', async () => {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const inspector = as(t.tokens.inspector);
    const { id } = (await inspector.file()).body;
    await inspector.send(id, { type: 'ASSIGN', departmentId: t.org.departments.facilities });

    const response = await as(t.tokens.production).deadline(id);

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('PROBLEM.NOT_FOUND');
  });
});

describe('The deadline horizon and the bounded explanation over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  // The fake clock stands at Monday 2026-03-02T01:00Z: five years (DEADLINE_HORIZON_YEARS' default) on is the latest deadline.
  const NOW = '2026-03-02T01:00:00.000Z';
  const LATEST = '2031-03-02T01:00:00.000Z';
  const explain = (id: string) => t.http().get(`/problems/${id}/deadline`).auth(t.tokens.inspector, { type: 'bearer' });

  it.each(['9999-12-31T23:59:59Z', '9998-06-01T00:00:00Z', '2031-03-02T01:00:00.001Z', '2031-03-02T09:00:00.001+08:00'])(
    'refuses a filing with the deadline %s beyond the horizon with 422 PROBLEM.DEADLINE_TOO_FAR, filing nothing',
    async (deadline) => {
      // given
      t.clock.set(NOW);
      const before = await steps.problemCount();

      // when
      const response = await steps.file('inspector', { deadline });

      // then
      expectApiError(response, 422, 'PROBLEM.DEADLINE_TOO_FAR');
      expect(response.body.details).toEqual({ field: 'deadline', latestDeadline: LATEST, horizonYears: 5 });
      expect(response.body.message).toContain(LATEST);
      expect(await steps.problemCount()).toBe(before);
    },
  );

  it('files a deadline exactly at the horizon', async () => {
    t.clock.set(NOW);

    const response = await steps.file('inspector', { deadline: LATEST });

    expect(response.status).toBe(201);
    expect(response.body.deadline).toBe(LATEST);
  });

  it('reports an imported row whose deadline is beyond the horizon as invalid, filing the others', async () => {
    // given a findings file whose second row is due in year 9999
    t.clock.set(NOW);
    const file = toCsv([aFindingRow(1, { key: 'H-1' }), aFindingRow(2, { key: 'H-2', deadline: '9999-12-31T23:59:59Z' })]);

    // when imported keeping the valid rows
    const response = await t.http().post('/inspections/INSP-HORIZON/problems/import').auth(t.tokens.inspector, { type: 'bearer' })
      .query({ mode: 'valid-only' }).attach('file', file, 'findings.csv');

    // then
    expect(response.status).toBe(201);
    expect(response.body.filed.map((row: { row: number }) => row.row)).toEqual([2]);
    expect(response.body.errors).toEqual([{ row: 3, field: 'deadline', messages: [expect.stringContaining(LATEST)] }]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['ASSIGN', 'found', { type: 'ASSIGN', deadline: '9999-12-31T23:59:59Z' }, 'deadline'],
    ['REQUEST_EXTENSION', 'rectifying.inProgress', { type: 'REQUEST_EXTENSION', proposedDeadline: '9998-01-01T00:00:00+08:00' }, 'proposedDeadline'],
    ['APPROVE_EXTENSION', 'extensionRequested', { type: 'APPROVE_EXTENSION', deadline: '2032-01-01T00:00:00Z' }, 'deadline'],
  ])('refuses %s with a deadline beyond the horizon with 422, changing nothing', async (type, stage, payload, field) => {
    // given
    t.clock.set(NOW);
    const { id } = await steps.inStage(stage as never);
    const before = await steps.footprint(id);
    const sender = type === 'REQUEST_EXTENSION' ? 'facilities' : type === 'ASSIGN' ? 'inspector' : 'supervisor';

    // when
    const response = await steps.send(sender, id, { ...eventBody(t, type), ...payload });

    // then
    expectApiError(response, 422, 'PROBLEM.DEADLINE_TOO_FAR');
    expect(response.body.details).toMatchObject({ field, latestDeadline: LATEST });
    expect(await steps.footprint(id)).toEqual(before);
  });

  it('explains a deadline five years out in a small answer: the first days listed, the rest summarised', async () => {
    // given a problem assigned with the latest deadline the horizon allows
    t.clock.set(NOW);
    const { id } = (await steps.file('inspector')).body;
    expect((await steps.send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: LATEST })).status).toBe(200);

    // when
    const response = await explain(id);

    // then
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(response.text)).toBeLessThan(64 * 1024);
    const { counting } = response.body;
    expect(counting.counted.length + counting.skipped.length).toBeLessThanOrEqual(366);
    expect(counting.later).toMatchObject({ to: '2031-03-02', workingDays: counting.workingDays - counting.counted.length });
    expect(response.body.remainingWorkingDays).toBe(counting.workingDays);
  });

  it('explains a deadline stored before the horizon existed (year 9998) in a small answer, without counting to it', async () => {
    // given a problem whose stored deadline is in year 9998, as the API accepted before the horizon
    t.clock.set(NOW);
    const { id } = (await steps.file('inspector')).body;
    expect((await steps.send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-04-01T10:00:00Z' })).status).toBe(200);
    await storeDeadline(id, '9998-06-01T00:00:00.000Z');

    // when
    const response = await explain(id);

    // then
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(response.text)).toBeLessThan(64 * 1024);
    expect(response.body).toMatchObject({ deadline: '9998-06-01T00:00:00.000Z', counting: null, remainingWorkingDays: null, notCounted: expect.any(String) });
    // and the server still answers the next request
    expect((await t.http().get('/health')).status).toBe(200);
  });

  /** Writes a deadline into a problem's row and snapshot directly, as an older version of the server could have. */
  async function storeDeadline(id: string, deadline: string): Promise<void> {
    const dataSource = t.app.get(DataSource);
    const [row] = await dataSource.createQueryBuilder().select('p.snapshot', 'snapshot').from('problems', 'p').where('p.id = :id', { id }).getRawMany();
    const snapshot = JSON.parse(row.snapshot as string);
    snapshot.context.deadline = deadline;
    snapshot.context.originalDeadline = deadline;
    await dataSource.createQueryBuilder().update('problems').set({ deadline, snapshot: JSON.stringify(snapshot) }).where('id = :id', { id }).execute();
  }
});

describe('DEADLINE_HORIZON_YEARS over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ deadlineHorizonYears: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a deadline beyond the configured horizon, for a filing and an import row alike', async () => {
    // given a server whose deadlines may lie at most one year ahead
    t.clock.set('2026-03-02T01:00:00.000Z');
    const file = toCsv([aFindingRow(1, { deadline: '2027-06-01T00:00:00Z' })]);

    // when
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ deadline: '2027-06-01T00:00:00Z' }));
    const imported = await t.http().post('/inspections/INSP-HORIZON/problems/import').auth(t.tokens.inspector, { type: 'bearer' })
      .attach('file', file, 'findings.csv');
    const within = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ deadline: '2027-03-01T00:00:00Z' }));

    // then
    expectApiError(filed, 422, 'PROBLEM.DEADLINE_TOO_FAR');
    expect(filed.body.details).toEqual({ field: 'deadline', latestDeadline: '2027-03-02T01:00:00.000Z', horizonYears: 1 });
    expectApiError(imported, 422, 'IMPORT.INVALID_ROWS');
    expect(within.status).toBe(201);
  });
});
