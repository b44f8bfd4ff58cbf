import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

describe('GET /problems/counts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // given two problems assigned to facilities, one to production and one left unassigned
    const file = async (severity: string) =>
      (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ severity }))).body.id as string;
    const assign = (id: string, departmentId: string) =>
      t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' })
        .send({ type: 'ASSIGN', departmentId, deadline: '2026-04-30T09:00:00Z' });
    await assign(await file('major'), t.org.departments.facilities);
    await assign(await file('minor'), t.org.departments.facilities);
    await assign(await file('major'), t.org.departments.production);
    await file('critical');
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = (token: string, query = '') => t.http().get(`/problems/counts${query}`).auth(token, { type: 'bearer' });

  it('counts per state and per traffic light within the caller\'s scope', async () => {
    const supervisor = await counts(t.tokens.supervisor);
    const facilities = await counts(t.tokens.facilities);
    const production = await counts(t.tokens.production);

    expect(supervisor.status).toBe(200);
    expect(supervisor.body).toEqual({
      total: 4,
      byState: { found: 1, assigned: 3, rectifying: 0, verified: 0, closed: 0, cancelled: 0 },
      // the three assigned are on track; the found one has no light
      byLight: { green: 3, yellow: 0, red: 0, black: 0 },
    });
    expect(facilities.body).toMatchObject({ total: 2, byState: { assigned: 2, found: 0 } });
    expect(production.body).toMatchObject({ total: 1, byState: { assigned: 1 } });
  });

  it('applies the list\'s filters, and agrees with the list', async () => {
    const majors = await counts(t.tokens.admin, '?severity=major');
    const listed = await t.http().get('/problems?severity=major').auth(t.tokens.admin, { type: 'bearer' });

    expect(majors.body.total).toBe(2);
    expect(listed.body.items).toHaveLength(majors.body.total);
  });

  it('refuses paging parameters and bad filters with 400', async () => {
    expect((await counts(t.tokens.admin, '?limit=5')).status).toBe(400);
    expect((await counts(t.tokens.admin, '?state=bogus')).body.code).toBe('VALIDATION_FAILED');
  });
});
