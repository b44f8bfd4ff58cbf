import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Next year's schedule as an admin would import it (test data, not the State Council's): New Year's Day off and a
// make-up Saturday worked (调休上班), marked the way chinese-days' own .ics files mark it.
const SCHEDULE_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example Org//Holidays 2027//EN',
  'BEGIN:VEVENT',
  'UID:new-year-2027@example.org',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦(休)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:new-year-2027-workday@example.org',
  'DTSTART;VALUE=DATE:20270109',
  'SUMMARY:元旦(班)',
  'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('The calendar coverage warning on /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  // No token: /health is public, the warning is there for whoever watches it.
  const health = () => t.http().get('/health');

  it('says nothing while more than 60 days of holiday data remain', async () => {
    // given noon of 2026-10-31 in Beijing: 61 days before the national data (chinese-days) ends on 2026-12-31
    t.clock.set('2026-10-31T04:00:00.000Z');

    // when
    const response = await health();

    // then
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: t.database.kind,
      calendar: {
        id: 'cn-mainland',
        name: expect.any(String),
        version: 1,
        holidayCoverage: { from: expect.any(String), to: '2026-12-31' },
        coverageWarning: null,
      },
    });
  });

  it('warns from 60 days before the end, counting days in the calendar\'s zone', async () => {
    // given 00:30 on 2026-11-01 in Beijing, still 31 October in UTC
    t.clock.set('2026-10-31T16:30:00.000Z');

    // when
    const response = await health();

    // then
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.calendar.coverageWarning).toMatchObject({ endsOn: '2026-12-31', daysLeft: 60 });
  });

  it('tells the admin what is wrong and what to do, staying healthy', async () => {
    // given 2026-12-01 in Beijing
    t.clock.set('2026-12-01T04:00:00.000Z');

    // when
    const response = await health();

    // then
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
    const warning = response.body.calendar.coverageWarning;
    expect(warning).toEqual({ endsOn: '2026-12-31', daysLeft: 30, message: expect.any(String) });
    expect(warning.message).toContain('known until 2026-12-31 (30 days left)');
    expect(warning.message).toContain("ignore 2027's holidays");
    expect(warning.message).toContain('POST /admin/calendar/import');
    expect(warning.message).toContain('coverageUntil "2027-12-31"');
  });

  it('keeps warning once the coverage has ended, with the days past as negative', async () => {
    t.clock.set('2027-01-05T04:00:00.000Z');

    const response = await health();

    expect(response.status).toBe(200);
    expect(response.body.calendar.coverageWarning).toMatchObject({ endsOn: '2026-12-31', daysLeft: -5 });
    expect(response.body.calendar.coverageWarning.message).toContain('were known until 2026-12-31 (5 days ago)');
  });

  it('is not ended by a holiday file that does not say it is complete', async () => {
    // given
    t.clock.set('2026-12-01T04:00:00.000Z');

    // when 2027's days are imported without coverageUntil
    const imported = await t.http().post('/admin/calendar/import').auth(t.tokens.admin, { type: 'bearer' }).send({ ics: SCHEDULE_2027 });

    // then the days are taken, but the coverage still ends on 2026-12-31
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ version: 2, holidayCoverage: { to: '2026-12-31' } });
    expect((await health()).body.calendar.coverageWarning).toMatchObject({ daysLeft: 30 });
  });

  it('ends once next year\'s schedule is imported as complete up to the end of 2027', async () => {
    // given
    t.clock.set('2026-12-01T04:00:00.000Z');

    // when
    const imported = await t.http().post('/admin/calendar/import').auth(t.tokens.admin, { type: 'bearer' })
      .send({ ics: SCHEDULE_2027, coverageUntil: '2027-12-31' });

    // then a new version covers 2027 and /health no longer warns
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ version: 3, holidayCoverage: { to: '2027-12-31' } });
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.body.calendar).toMatchObject({
      id: 'cn-mainland',
      version: 3,
      holidayCoverage: { to: '2027-12-31' },
      coverageWarning: null,
    });
    // and the import is audited with the coverage it set
    const audit = (await t.http().get('/admin/audit?limit=50').auth(t.tokens.admin, { type: 'bearer' })).body.items as Array<{
      action: string;
      details: Record<string, unknown>;
    }>;
    expect(audit.find((row) => row.action === 'calendar.ics_imported')?.details).toMatchObject({
      holidayCoverage: { to: '2027-12-31' },
    });
  });

  it('refuses coverageUntil on an import of closures, with 400 naming the field', async () => {
    t.clock.set('2026-12-01T04:00:00.000Z');

    const response = await t.http().post('/admin/calendar/import').auth(t.tokens.admin, { type: 'bearer' })
      .send({ ics: SCHEDULE_2027, as: 'closure', coverageUntil: '2028-12-31' });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields).toEqual([{ field: 'coverageUntil', messages: [expect.stringContaining('as: "holiday"')] }]);
    expect((await health()).body.calendar).toMatchObject({ version: 3, holidayCoverage: { to: '2027-12-31' } });
  });
});
