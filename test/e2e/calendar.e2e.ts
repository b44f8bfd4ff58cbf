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
