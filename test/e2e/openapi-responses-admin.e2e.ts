import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectDocumented, type OpenApiDocument, responseSchema, schemaErrors } from '../support/openapi-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'rectify by friday 2026';

/** A closure, a make-up workday, a timed event with neither UID nor SUMMARY, and an unbounded recurrence. */
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
  'BEGIN:VEVENT',
  'UID:make-up-2026@example.org',
  'DTSTART;VALUE=DATE:20260328',
  'SUMMARY:Stocktaking (班)',
  'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART:20260402T090000Z',
  'DTEND:20260402T100000Z',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@example.org',
  'DTSTART;VALUE=DATE:20260406',
  'RRULE:FREQ=WEEKLY',
  'SUMMARY:Weekly review',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/*
 * The console's admin screens are typed from the OpenAPI document, so what it says of the administration of
 * departments, users, tokens and the calendar must be what the server answers. Real answers, taken through the API,
 * are checked against the schema each operation documents (test/support/openapi-schema.ts: an unnamed field is an
 * error too).
 */
describe('The OpenAPI document’s admin answers (departments, users, tokens, calendar) against the real ones', () => {
  let t: TestApp;
  let document: OpenApiDocument;


  const admin = {
    get: (path: string) => t.http().get(path).auth(t.tokens.admin, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body),
    patch: (path: string, body: Record<string, unknown>) => t.http().patch(path).auth(t.tokens.admin, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http().delete(path).auth(t.tokens.admin, { type: 'bearer' }),
  };

  beforeAll(async () => {
    t = await createTestApp();
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes a department node as holding nodes like itself, at any depth', () => {
    // given the schema of GET /admin/departments
    const tree = responseSchema(document, 'GET', '/admin/departments', 200);
    const node = document.components.schemas.DepartmentNodeDto;

    // then its items are nodes, and a node's children are that same schema
    expect(tree).toEqual({ $ref: '#/components/schemas/DepartmentTreeDto' });
    expect(document.components.schemas.DepartmentTreeDto.properties?.items).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/DepartmentNodeDto' },
    });
    expect(node.properties?.children).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/DepartmentNodeDto' } });
    expect(node.required).toEqual(expect.arrayContaining(['id', 'name', 'parentId', 'headUserId', 'active', 'createdAt', 'children']));

    // and a grandchild missing its own children is refused
    const department = { id: '0190c6f6-0000-7000-8000-000000000001', name: 'HQ', parentId: null, headUserId: null, active: true, createdAt: '2026-03-02T01:00:00.000Z' };
    const deep = { items: [{ ...department, children: [{ ...department, children: [{ ...department }] }] }] };
    expect(schemaErrors(document, tree, deep)).toEqual(['$.items[0].children[0].children[0].children: required, missing']);
  });

  it('describes the departments: the tree, one, creating, changing and deactivating one', async () => {
    // given a top-level department without a head, one under it with a head, and one under that
    const created = await admin.post('/admin/departments', { name: 'Group Headquarters (集团总部)' });
    expectDocumented(document, created, 'POST', '/admin/departments', 201);
    const hq = created.body.id as string;
    const head = (await admin.post('/admin/users', { name: 'Works Head', role: 'inspector' })).body.user.id as string;
    const works = await admin.post('/admin/departments', { name: 'Works Department', parentId: hq, headUserId: head });
    expectDocumented(document, works, 'POST', '/admin/departments', 201);
    expect(works.body).toMatchObject({ parentId: hq, headUserId: head });
    const boilers = await admin.post('/admin/departments', { name: 'Boiler House', parentId: works.body.id });

    // then
    const tree = await admin.get('/admin/departments');
    expectDocumented(document, tree, 'GET', '/admin/departments');
    const top = (tree.body.items as Array<{ id: string; children: Array<{ children: unknown[] }> }>).find((node) => node.id === hq)!;
    expect(top.children[0].children).toHaveLength(1);
    expectDocumented(document, await admin.get(`/admin/departments/${hq}`), 'GET', '/admin/departments/{id}');
    expectDocumented(document, await admin.get(`/admin/departments/${works.body.id}`), 'GET', '/admin/departments/{id}');
    const renamed = await admin.patch(`/admin/departments/${boilers.body.id}`, { name: 'Boiler Room', headUserId: head });
    expectDocumented(document, renamed, 'PATCH', '/admin/departments/{id}');
    const moved = await admin.patch(`/admin/departments/${boilers.body.id}`, { parentId: null, headUserId: null });
    expectDocumented(document, moved, 'PATCH', '/admin/departments/{id}');
    expect(moved.body).toMatchObject({ parentId: null, headUserId: null });
    const deactivated = await admin.post(`/admin/departments/${boilers.body.id}/deactivate`);
    expectDocumented(document, deactivated, 'POST', '/admin/departments/{id}/deactivate');
    expect(deactivated.body.active).toBe(false);
    expectDocumented(document, await admin.get('/admin/departments'), 'GET', '/admin/departments');
  });

  it('describes the users: the list, one, creating, deactivating, reactivating, a password and an invitation', async () => {
    // given a department user, and an inspector who belongs to none, with an expiring first token
    const department = (await admin.post('/admin/departments', { name: 'Quality Office' })).body.id as string;
    const created = await admin.post('/admin/users', { name: 'Quality Clerk', role: 'department', departmentId: department });
    expectDocumented(document, created, 'POST', '/admin/users', 201);
    const inspector = await admin.post('/admin/users', { name: 'Field Inspector', role: 'inspector', tokenExpiresAt: '2027-01-01T00:00:00.000Z' });
    expectDocumented(document, inspector, 'POST', '/admin/users', 201);
    expect(inspector.body.user.departmentId).toBeNull();
    expect(inspector.body.token.expiresAt).toBe('2027-01-01T00:00:00.000Z');
    const id = created.body.user.id as string;

    // then
    expectDocumented(document, await admin.get('/admin/users'), 'GET', '/admin/users');
    expectDocumented(document, await admin.get(`/admin/users/${id}`), 'GET', '/admin/users/{id}');
    expectDocumented(document, await admin.get(`/admin/users/${inspector.body.user.id}`), 'GET', '/admin/users/{id}');
    expectDocumented(document, await admin.post(`/admin/users/${id}/deactivate`), 'POST', '/admin/users/{id}/deactivate');
    expectDocumented(document, await admin.post(`/admin/users/${id}/reactivate`), 'POST', '/admin/users/{id}/reactivate');
    const password = await admin.post(`/admin/users/${id}/password`, { password: PASSWORD });
    expectDocumented(document, password, 'POST', '/admin/users/{id}/password');
    expect(password.body.mustChangePassword).toBe(true);
    expectDocumented(document, await admin.post(`/admin/users/${id}/invitation`), 'POST', '/admin/users/{id}/invitation', 201);
  });

  it('describes the tokens: the list (used and not, expiring and not, revoked and not), issuing and revoking one', async () => {
    // given a user whose first token has been used, and a second token that expires
    const created = (await admin.post('/admin/users', { name: 'Token Holder', role: 'inspector' })).body as { user: { id: string }; token: { token: string } };
    expect((await t.http().get('/me').auth(created.token.token, { type: 'bearer' })).status).toBe(200);
    const issued = await admin.post(`/admin/users/${created.user.id}/tokens`, { label: 'reporting script', expiresAt: '2027-01-01T00:00:00.000Z' });
    expectDocumented(document, issued, 'POST', '/admin/users/{id}/tokens', 201);
    const endless = await admin.post(`/admin/users/${created.user.id}/tokens`, { label: 'kiosk' });
    expectDocumented(document, endless, 'POST', '/admin/users/{id}/tokens', 201);

    // when one is revoked
    const revoked = await admin.post(`/admin/tokens/${issued.body.id}/revoke`);

    // then
    expectDocumented(document, revoked, 'POST', '/admin/tokens/{id}/revoke');
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const tokens = await admin.get(`/admin/users/${created.user.id}/tokens`);
    expectDocumented(document, tokens, 'GET', '/admin/users/{id}/tokens');
    const items = tokens.body.items as Array<{ label: string; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null }>;
    // (issued within the same millisecond, two tokens may list either way round: compared by label)
    const facts = items.map(({ label, expiresAt, revokedAt, lastUsedAt }) => ({ label, expires: expiresAt !== null, revoked: revokedAt !== null, used: lastUsedAt !== null }));
    expect(facts.sort((a, b) => a.label.localeCompare(b.label))).toEqual([
      { label: 'initial', expires: false, revoked: false, used: true },
      { label: 'kiosk', expires: false, revoked: false, used: false },
      { label: 'reporting script', expires: true, revoked: true, used: false },
    ]);
  });

  it('describes the calendar: the one in force, a year of days, closures, an import and the national refresh', async () => {
    // given the national calendar
    expectDocumented(document, await admin.get('/admin/calendar'), 'GET', '/admin/calendar');

    // when a closure is added, a file imported and the closure removed again
    const closed = await admin.post('/admin/calendar/closures', { date: '2026-11-20', reason: 'Fire drill' });
    expectDocumented(document, closed, 'POST', '/admin/calendar/closures', 201);
    const imported = await admin.post('/admin/calendar/import', { ics: ICS, as: 'closure' });
    expectDocumented(document, imported, 'POST', '/admin/calendar/import', 201);
    expect(imported.body.imported.map((day: { kind: string }) => day.kind).sort()).toEqual(['closure', 'makeUpWorkday']);
    expect(imported.body.skipped).toEqual([
      { uid: null, summary: null, reason: expect.stringContaining('timed event') },
      { uid: 'weekly@example.org', summary: 'Weekly review', reason: expect.stringContaining('recurUntil') },
    ]);
    const days = await admin.get('/admin/calendar/days?year=2026');
    expectDocumented(document, days, 'GET', '/admin/calendar/days');
    expect(days.body.closures).toMatchObject({ '2026-11-20': 'Fire drill', '2026-03-20': 'Stocktaking day' });
    expectDocumented(document, await admin.get('/admin/calendar/days?year=2099'), 'GET', '/admin/calendar/days');
    expectDocumented(document, await admin.delete('/admin/calendar/closures/2026-11-20'), 'DELETE', '/admin/calendar/closures/{date}');

    // and the national schedule of the installed package is taken again (no network: it is the package's own data)
    const refreshed = await admin.post('/admin/calendar/refresh-national');
    expectDocumented(document, refreshed, 'POST', '/admin/calendar/refresh-national');
    expect(refreshed.body.source).toEqual(expect.any(String));
    expectDocumented(document, await admin.get('/admin/calendar'), 'GET', '/admin/calendar');
  });

  it('describes the deadline policy: the one in force, its versions, the presets and a publication', async () => {
    expectDocumented(document, await admin.get('/deadline-policy'), 'GET', '/deadline-policy');
    const presets = await admin.get('/admin/deadline-policy/presets');
    expectDocumented(document, presets, 'GET', '/admin/deadline-policy/presets');

    // when a preset with categories is published, and a problem explained under it
    const office = (presets.body as Array<{ key: string; draft: Record<string, unknown> }>).find((preset) => preset.key === 'supervision-office')!;
    const published = await admin.post('/admin/deadline-policy', { basedOnVersion: 1, note: '督查督办', policy: office.draft });
    expectDocumented(document, published, 'POST', '/admin/deadline-policy', 201);
    const versions = await admin.get('/deadline-policy/versions');
    expectDocumented(document, versions, 'GET', '/deadline-policy/versions');
    expect(versions.body.map((version: { publication: unknown }) => version.publication === null)).toEqual([false, true]);
  });
});
