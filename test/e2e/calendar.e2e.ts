import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example Org//Closures//EN',
  'BEGIN:VEVENT',
  'UID:stocktaking-2026@example.org',
  'DTSTART;VALUE=DATE:20260320',
  'DTEND;VALUE=DATE:20260321',
  'SUMMARY:Stocktaking day',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('The organisation\'s business calendar over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const admin = () => ({
    get: (path: string) => t.http().get(path).auth(t.tokens.admin, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http().delete(path).auth(t.tokens.admin, { type: 'bearer' }),
  });
  async function assignedMajor(): Promise<string> {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const { id } = (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ severity: 'major' }))).body;
    await t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' })
      .send({ type: 'ASSIGN', departmentId: t.org.departments.facilities });
    return id;
  }

  it('starts from the national calendar, stored as version 1', async () => {
    const response = await admin().get('/admin/calendar');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'cn-mainland', version: 1, timeZone: 'Asia/Shanghai', closures: {} });
    expect(response.body.holidays).toBeGreaterThan(100);
  });

  it('counts a new closure in later deadlines only: earlier ones keep the calendar version they were counted with', async () => {
    // given a problem whose deadline was counted on version 1 (Monday 03-16)
    const before = await assignedMajor();

    // when the organisation closes on Thursday 2026-03-05
    const closed = await admin().post('/admin/calendar/closures', { date: '2026-03-05', reason: 'Power maintenance' });

    // then a new version is in force, later deadlines skip the closure, and the earlier deadline did not move
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ version: 2, closures: { '2026-03-05': 'Power maintenance' } });
    const after = await assignedMajor();
    const explainedAfter = (await t.http().get(`/problems/${after}/deadline`).auth(t.tokens.inspector, { type: 'bearer' })).body;
    expect(explainedAfter).toMatchObject({ deadline: '2026-03-17T10:00:00.000Z', basis: { calendarVersion: 2 } });
    expect(explainedAfter.counting.skipped).toContainEqual({ date: '2026-03-05', kind: 'closure', name: 'Power maintenance' });
    const explainedBefore = (await t.http().get(`/problems/${before}/deadline`).auth(t.tokens.inspector, { type: 'bearer' })).body;
    expect(explainedBefore).toMatchObject({
      deadline: '2026-03-16T10:00:00.000Z',
      basis: { calendarVersion: 1 },
      calendar: { version: 1 },
      stampedCalendarAvailable: true,
    });
  });

  it('imports closures from an iCalendar file, reporting what it took', async () => {
    const response = await admin().post('/admin/calendar/import', { ics: ICS, as: 'closure' });

    expect(response.status).toBe(201);
    expect(response.body.version).toBe(3);
    expect(response.body.closures).toMatchObject({ '2026-03-20': 'Stocktaking day' });
    expect(response.body.imported).toHaveLength(1);
    expect(response.body.skipped).toEqual([]);
  });

  it('removes a closure as a new version, refuses an unknown one, and audits every change', async () => {
    const removed = await admin().delete('/admin/calendar/closures/2026-03-05');
    const unknown = await admin().delete('/admin/calendar/closures/2026-07-01');

    expect(removed.status).toBe(200);
    expect(removed.body.version).toBe(4);
    expect(removed.body.closures['2026-03-05']).toBeUndefined();
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('CALENDAR.NO_SUCH_CLOSURE');
    const audit = (await admin().get('/admin/audit?limit=200')).body.items as Array<{ action: string; targetId: string }>;
    expect(audit.filter((row) => row.action.startsWith('calendar.')).map((row) => `${row.action} ${row.targetId}`)).toEqual([
      'calendar.closure_removed cn-mainland@4',
      'calendar.ics_imported cn-mainland@3',
      'calendar.closure_added cn-mainland@2',
    ]);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const badDate = await admin().post('/admin/calendar/closures', { date: '2026-02-30x', reason: 'x' });
    const noReason = await admin().post('/admin/calendar/closures', { date: '2026-05-06' });
    const notIcs = await admin().post('/admin/calendar/import', { ics: 'hello' });

    expect([badDate.status, noReason.status, notIcs.status]).toEqual([400, 400, 400]);
    expect((await admin().get('/admin/calendar')).body.version).toBe(4);
  });
});

describe('Recounting a deadline on the current calendar (RECOUNT_DEADLINE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
  });
  const recount = (token: string, id: string) => as(token).post(`/problems/${id}/events`, { type: 'RECOUNT_DEADLINE', reason: 'The plant closes on 03-05' });

  /** A major problem assigned on Monday 2026-03-02, its deadline counted by the policy (10 working days) or given. */
  async function assignedMajor(deadline?: string): Promise<string> {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const { id } = (await as(t.tokens.inspector).post('/problems', aFiling({ severity: 'major' }))).body;
    const assigned = await as(t.tokens.inspector).post(`/problems/${id}/events`, {
      type: 'ASSIGN',
      departmentId: t.org.departments.facilities,
      ...(deadline === undefined ? {} : { deadline }),
    });
    expect(assigned.status).toBe(200);
    return id;
  }

  it('moves a policy deadline by the closure added since, on request, and records the new calendar version', async () => {
    // given a deadline counted on calendar version 1 (Monday 03-16), and then a closure inside its count
    const id = await assignedMajor();
    const closed = await as(t.tokens.admin).post('/admin/calendar/closures', { date: '2026-03-05', reason: 'Power maintenance' });
    expect(closed.body.version).toBe(2);
    t.clock.set('2026-03-03T02:00:00.000Z');

    // then the edit alone moves nothing
    expect((await as(t.tokens.supervisor).get(`/problems/${id}`)).body).toMatchObject({ deadline: '2026-03-16T10:00:00.000Z', version: 2 });

    // when a supervisor over it asks for a recount
    const recounted = await recount(t.tokens.supervisor, id);

    // then the same 10 working days from the same start skip the closure: one working day later, on version 2
    expect(recounted.status).toBe(200);
    expect(recounted.body).toMatchObject({ deadline: '2026-03-17T10:00:00.000Z', deadlineState: 'onTrack', version: 3 });
    const explained = (await as(t.tokens.supervisor).get(`/problems/${id}/deadline`)).body;
    expect(explained).toMatchObject({
      deadline: '2026-03-17T10:00:00.000Z',
      originalDeadline: '2026-03-16T10:00:00.000Z',
      basis: { kind: 'policy', calendarVersion: 2, from: '2026-03-02T01:00:00.000Z', workingDays: 10 },
      calendar: { version: 2 },
    });
    expect(explained.counting.skipped).toContainEqual({ date: '2026-03-05', kind: 'closure', name: 'Power maintenance' });
    const history = (await as(t.tokens.supervisor).get(`/problems/${id}/history`)).body.items as Array<{ eventType: string; payload: Record<string, unknown> }>;
    expect(history.find((row) => row.eventType === 'RECOUNT_DEADLINE')?.payload).toMatchObject({
      reason: 'The plant closes on 03-05',
      deadline: '2026-03-17T10:00:00.000Z',
      deadlineBasis: { calendarVersion: 2 },
    });

    // and a second recount on the same version changes nothing
    const again = await recount(t.tokens.supervisor, id);
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('PROBLEM.DEADLINE_ALREADY_CURRENT');
    expect((await as(t.tokens.supervisor).get(`/problems/${id}`)).body.version).toBe(3);
  });

  it('refuses to recount an explicit deadline: that takes an extension', async () => {
    const id = await assignedMajor('2026-03-20T09:00:00.000Z');

    const response = await recount(t.tokens.supervisor, id);

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('PROBLEM.DEADLINE_NOT_FROM_POLICY');
    expect((await as(t.tokens.supervisor).get(`/problems/${id}`)).body).toMatchObject({ deadline: '2026-03-20T09:00:00.000Z', version: 2 });
  });

  it('is not for the department whose clock it is (403), nor with a missing reason (400)', async () => {
    const id = await assignedMajor();
    await as(t.tokens.admin).post('/admin/calendar/closures', { date: '2026-03-06', reason: 'Audit day' });

    const byDepartment = await recount(t.tokens.facilities, id);
    const noReason = await as(t.tokens.supervisor).post(`/problems/${id}/events`, { type: 'RECOUNT_DEADLINE' });
    const withDeadline = await as(t.tokens.supervisor).post(`/problems/${id}/events`, { type: 'RECOUNT_DEADLINE', reason: 'x', deadline: '2026-04-01T00:00:00.000Z' });

    expect(byDepartment.status).toBe(403);
    expect(byDepartment.body.code).toBe('AUTH.FORBIDDEN');
    expect([noReason.status, withDeadline.status]).toEqual([400, 400]);
    // an admin may recount too
    const byAdmin = await recount(t.tokens.admin, id);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.deadline).toBe('2026-03-18T10:00:00.000Z');
  });
});

describe('Bounds on an iCalendar import over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const admin = () => ({
    get: (path: string) => t.http().get(path).auth(t.tokens.admin, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body),
  });
  function recurring(uid: string, start: string, rule: string, summary: string): string {
    return [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example Org//Closures//EN',
      'BEGIN:VEVENT', `UID:${uid}`, `DTSTART;VALUE=DATE:${start}`, `RRULE:${rule}`, `SUMMARY:${summary}`, 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
  }

  it.each([
    ['a daily rule to year 9999', recurring('daily@example.org', '20260302', 'FREQ=DAILY;UNTIL=99991231', 'Daily'), '9999-12-31', 'daily@example.org'],
    ['a yearly rule decades ahead', recurring('yearly@example.org', '20260601', 'FREQ=YEARLY', 'Founders'), '2099-12-31', 'yearly@example.org'],
  ])('refuses %s with 422 CALENDAR.RECURRENCE_TOO_LONG naming the event, changing nothing', async (_label, ics, recurUntil, uid) => {
    // given
    t.clock.set('2026-03-02T01:00:00.000Z');
    const before = (await admin().get('/admin/calendar')).body;

    // when
    const response = await admin().post('/admin/calendar/import', { ics, as: 'closure', recurUntil });

    // then
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'CALENDAR.RECURRENCE_TOO_LONG', details: { uid } });
    expect(response.body.message).toContain(uid);
    expect((await admin().get('/admin/calendar')).body).toEqual(before);
    // and the server still answers
    expect((await t.http().get('/health')).status).toBe(200);
  });

  it('still expands a bounded recurrence', async () => {
    t.clock.set('2026-03-02T01:00:00.000Z');

    const response = await admin().post('/admin/calendar/import', {
      ics: recurring('founders@example.org', '20260601', 'FREQ=YEARLY;COUNT=2', 'Founders'),
      as: 'closure',
      recurUntil: '2030-12-31',
    });

    expect(response.status).toBe(201);
    expect(response.body.closures).toMatchObject({ '2026-06-01': 'Founders', '2027-06-01': 'Founders' });
  });

  it("lists one year's holidays, make-up workdays and closures by date for the year view", async () => {
    // given a closure in 2026 and one in 2027
    t.clock.set('2026-03-02T01:00:00.000Z');
    await admin().post('/admin/calendar/closures', { date: '2026-11-20', reason: 'Fire drill' });
    await admin().post('/admin/calendar/closures', { date: '2027-01-08', reason: 'Audit' });

    // when
    const response = await admin().get('/admin/calendar/days?year=2026');

    // then every date lies in 2026: the national days off (Spring Festival), a 调休 Saturday and the closure
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ year: 2026, timeZone: 'Asia/Shanghai', closures: { '2026-11-20': 'Fire drill' } });
    const dates = [response.body.holidays, response.body.makeUpWorkdays, response.body.closures].flatMap((days) => Object.keys(days));
    expect(dates.every((date) => date.startsWith('2026-'))).toBe(true);
    expect(response.body.closures).not.toHaveProperty('2027-01-08');
    expect(response.body.holidays).toHaveProperty('2026-01-01');
    expect(Object.keys(response.body.makeUpWorkdays).length).toBeGreaterThan(0);
  });

  it.each([['missing', ''], ['not a number', '?year=twenty'], ['out of range', '?year=1999']])('refuses a year %s with 400 naming year', async (_label, query) => {
    const response = await admin().get(`/admin/calendar/days${query}`);

    expect(response.status).toBe(400);
    expect(response.body.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'year' })]));
  });
});
