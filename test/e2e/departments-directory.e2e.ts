import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('GET /departments: the departments of my organisation, for pickers', () => {
  let t: TestApp;
  let otherOrganisation: string;
  let otherInspector: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = (path: string, body: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body);
    otherOrganisation = (await admin('/admin/departments', { name: 'Other Group HQ' })).body.id;
    await admin('/admin/departments', { name: 'Other Group Plant', parentId: otherOrganisation });
    otherInspector = (await admin('/admin/users', { name: 'Other inspector', role: 'inspector', departmentId: otherOrganisation })).body.token.token;
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists one's own organisation's departments with their supervising chain, and not another's", async () => {
    // when
    const mine = await t.http().get('/departments').auth(t.tokens.facilities, { type: 'bearer' });
    const theirs = await t.http().get('/departments').auth(otherInspector, { type: 'bearer' });

    // then
    expect(mine.status).toBe(200);
    const names = (response: typeof mine) => (response.body.items as Array<{ name: string }>).map((department) => department.name).sort();
    expect((mine.body.items as Array<{ id: string }>).map((department) => department.id).sort()).toEqual(Object.values(t.org.departments).sort());
    expect(names(theirs)).toEqual(['Other Group HQ', 'Other Group Plant']);
    expect(mine.body.items[0]).toEqual({ id: expect.any(String), name: expect.any(String), parentId: expect.anything(), active: true });
  });

  it('lists every department to an administrator outside the organisations', async () => {
    const all = await t.http().get('/departments').auth(t.tokens.admin, { type: 'bearer' });
    expect(all.body.items).toHaveLength(5);
  });

  it('answers 401 without a token', async () => {
    expect((await t.http().get('/departments')).status).toBe(401);
  });
});
