import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
      { kind: 'escalation', level: 1, workingDaysAfterDeadline: 0, recipients: 'departmentHead', at: '2026-03-20T10:00:00.000Z', due: false },
      { kind: 'escalation', level: 2, workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', at: '2026-03-25T10:00:00.000Z', due: false },
      { kind: 'escalation', level: 3, workingDaysAfterDeadline: 10, recipients: 'leadership', at: '2026-04-03T10:00:00.000Z', due: false },
    ]);
    expect(body.recipients.departmentHead).toEqual({
      departmentId: t.org.departments.facilities,
      departmentName: expect.stringContaining('Facilities'),
      headUserId: t.org.users.facilities.actor.userId,
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
