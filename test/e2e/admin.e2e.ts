import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { hashApiToken } from '#identity';
import { expectApiError, invalidFields, ProblemSteps, type RoleName } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface DepartmentNode {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  active: boolean;
  createdAt: string;
  children: DepartmentNode[];
}

interface AuditRow {
  id: string;
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

/** Far enough ahead that moving the fake clock in this file never makes it pass. */
const FAR_DEADLINE = '2027-06-30T09:00:00.000Z';
const TOKEN_SUMMARY_KEYS = ['createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'revokedAt', 'userId'];

describe('Administration over HTTP: departments, users, tokens, audit, /me', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let adminId: string;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    adminId = (await call(t.tokens.admin, 'get', '/me')).body.user.id;
  });
  afterAll(async () => {
    await t.close();
  });

  function call(token: string | null, method: Method, path: string, body?: Record<string, unknown>) {
    const request = t.http()[method](path);
    if (token !== null) request.auth(token, { type: 'bearer' });
    return body === undefined ? request : request.send(body);
  }
  const admin = {
    get: (path: string) => call(t.tokens.admin, 'get', path),
    post: (path: string, body?: Record<string, unknown>) => call(t.tokens.admin, 'post', path, body),
    patch: (path: string, body: Record<string, unknown>) => call(t.tokens.admin, 'patch', path, body),
  };
  const me = (token: string) => call(token, 'get', '/me');

  async function createDepartment(name: string, parentId?: string): Promise<string> {
    const response = await admin.post('/admin/departments', { name, ...(parentId === undefined ? {} : { parentId }) });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function createUser(role: string, departmentId?: string, extra: Record<string, unknown> = {}) {
    const response = await admin.post('/admin/users', {
      name: `A ${role} user`,
      role,
      ...(departmentId === undefined ? {} : { departmentId }),
      ...extra,
    });
    expect(response.status).toBe(201);
    return { userId: response.body.user.id as string, token: response.body.token.token as string, tokenId: response.body.token.id as string };
  }

  async function tree(): Promise<DepartmentNode[]> {
    const response = await admin.get('/admin/departments');
    expect(response.status).toBe(200);
    return response.body.items;
  }

  function findNode(nodes: DepartmentNode[], id: string): DepartmentNode | undefined {
    for (const node of nodes) {
      if (node.id === id) return node;
      const found = findNode(node.children, id);
      if (found) return found;
    }
    return undefined;
  }

  type Shape = { name: string; active: boolean; children: Shape[] };
  const shape = (node: DepartmentNode): Shape => ({ name: node.name, active: node.active, children: node.children.map(shape) });

  const subtreeIds = (node: DepartmentNode): string[] => [node.id, ...node.children.flatMap(subtreeIds)];

  async function shapeOf(id: string): Promise<Shape> {
    const node = findNode(await tree(), id);
    expect(node).toBeDefined();
    return shape(node!);
  }

  /** The whole audit log, newest first. */
  async function auditLog(): Promise<AuditRow[]> {
    const response = await admin.get('/admin/audit?limit=200');
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items;
  }

  async function assignTo(departmentId: string): Promise<{ id: string; response: Response }> {
    const filed = await steps.file('inspector');
    expect(filed.status).toBe(201);
    const response = await steps.send('inspector', filed.body.id, { type: 'ASSIGN', departmentId, deadline: FAR_DEADLINE });
    return { id: filed.body.id as string, response };
  }

  describe('departments', () => {
    it('creates departments and shows them as a tree, children sorted by name', async () => {
      // when
      const created = await admin.post('/admin/departments', { name: 'Group Headquarters (集团总部)' });
      const hq = created.body.id as string;
      const works = await createDepartment('Works Department', hq);
      await createDepartment('Audit Office', hq);
      await createDepartment('Boiler House', works);

      // then
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Group Headquarters (集团总部)',
        parentId: null,
        headUserId: null,
        active: true,
        createdAt: t.clock.now().toISOString(),
      });
      expect(await shapeOf(hq)).toEqual({
        name: 'Group Headquarters (集团总部)',
        active: true,
        children: [
          { name: 'Audit Office', active: true, children: [] },
          { name: 'Works Department', active: true, children: [{ name: 'Boiler House', active: true, children: [] }] },
        ],
      });
      const roots = await tree();
      expect(roots.map((node) => node.id)).toEqual(expect.arrayContaining([hq, t.org.departments.office]));
      expect(findNode(roots, works)).toMatchObject({ parentId: hq });
      expect(await shapeOf(t.org.departments.office)).toEqual({
        name: 'Safety Supervision Office (安全督查办)',
        active: true,
        children: [
          { name: 'Facilities Department (设施部)', active: true, children: [] },
          { name: 'Production Department (生产部)', active: true, children: [] },
        ],
      });
    });

    it('renames a department', async () => {
      // given
      const id = await createDepartment('Maintenence');

      // when
      const response = await admin.patch(`/admin/departments/${id}`, { name: 'Maintenance (维修部)' });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id, name: 'Maintenance (维修部)', active: true });
      expect((await admin.get(`/admin/departments/${id}`)).body).toMatchObject({ id, name: 'Maintenance (维修部)' });
    });

    it('moves a department under another one, and back to the top', async () => {
      // given
      const north = await createDepartment('North Site');
      const south = await createDepartment('South Site');
      const workshop = await createDepartment('Workshop', north);

      // when
      const moved = await admin.patch(`/admin/departments/${workshop}`, { parentId: south });

      // then
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ id: workshop, parentId: south });
      expect(await shapeOf(north)).toEqual({ name: 'North Site', active: true, children: [] });
      expect(await shapeOf(south)).toEqual({ name: 'South Site', active: true, children: [{ name: 'Workshop', active: true, children: [] }] });

      // when
      const toTop = await admin.patch(`/admin/departments/${workshop}`, { parentId: null });

      // then
      expect(toTop.status).toBe(200);
      expect((await tree()).find((node) => node.id === workshop)).toMatchObject({ parentId: null, name: 'Workshop' });
    });

    it('refuses to move a department under itself or its own descendant with 422 DEPARTMENT.CYCLE, changing nothing', async () => {
      // given a → b → c
      const a = await createDepartment('Cycle A');
      const b = await createDepartment('Cycle B', a);
      const c = await createDepartment('Cycle C', b);
      const before = await shapeOf(a);
      const auditBefore = await auditLog();

      for (const parentId of [c, b, a]) {
        // when
        const response = await admin.patch(`/admin/departments/${a}`, { parentId });

        // then
        expectApiError(response, 422, 'DEPARTMENT.CYCLE');
        expect(response.body.details).toEqual({ field: 'parentId' });
      }
      expect(await shapeOf(a)).toEqual(before);
      expect((await admin.get(`/admin/departments/${a}`)).body.parentId).toBeNull();
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('refuses a parent that does not exist with 422 DEPARTMENT.UNKNOWN, on create and on move', async () => {
      // given
      const id = await createDepartment('Orphan Candidate');
      const treeBefore = await tree();
      const auditBefore = await auditLog();

      // when
      const created = await admin.post('/admin/departments', { name: 'Nowhere Department', parentId: randomUUID() });
      const moved = await admin.patch(`/admin/departments/${id}`, { parentId: randomUUID() });

      // then
      for (const response of [created, moved]) {
        expectApiError(response, 422, 'DEPARTMENT.UNKNOWN');
        expect(response.body.details).toEqual({ field: 'parentId' });
      }
      expect(await tree()).toEqual(treeBefore);
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('refuses to rename a department to nothing with 400, naming the field', async () => {
      // given
      const id = await createDepartment('Named Department');
      const auditBefore = await auditLog();

      for (const name of [null, '', 42, 'x'.repeat(101)]) {
        // when
        const response = await admin.patch(`/admin/departments/${id}`, { name });

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ name, fields: invalidFields(response) }).toEqual({ name, fields: ['name'] });
      }
      expect((await admin.get(`/admin/departments/${id}`)).body.name).toBe('Named Department');
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('refuses to deactivate a department with open problems with 409 DEPARTMENT.HAS_OPEN_PROBLEMS', async () => {
      // given a department with one open problem
      const id = await createDepartment('Busy Department');
      const { response: assigned } = await assignTo(id);
      expect(assigned.status).toBe(200);
      const auditBefore = await auditLog();

      // when
      const response = await admin.post(`/admin/departments/${id}/deactivate`);

      // then
      expectApiError(response, 409, 'DEPARTMENT.HAS_OPEN_PROBLEMS');
      expect(response.body.details).toEqual({ openProblems: 1 });
      expect((await admin.get(`/admin/departments/${id}`)).body.active).toBe(true);
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('refuses to deactivate a department with active sub-departments with 409 DEPARTMENT.HAS_ACTIVE_CHILDREN, until they are deactivated', async () => {
      // given
      const parent = await createDepartment('Parent Department');
      const child = await createDepartment('Child Department', parent);
      const auditBefore = await auditLog();

      // when
      const refused = await admin.post(`/admin/departments/${parent}/deactivate`);

      // then
      expectApiError(refused, 409, 'DEPARTMENT.HAS_ACTIVE_CHILDREN');
      expect(refused.body.details).toEqual({ activeChildren: [child] });
      expect((await admin.get(`/admin/departments/${parent}`)).body.active).toBe(true);
      expect(await auditLog()).toEqual(auditBefore);

      // when the child goes first
      const childGone = await admin.post(`/admin/departments/${child}/deactivate`);
      const parentGone = await admin.post(`/admin/departments/${parent}/deactivate`);

      // then
      expect(childGone.status).toBe(200);
      expect(parentGone.status).toBe(200);
      expect(parentGone.body).toMatchObject({ id: parent, active: false });
    });

    it('deactivates a department once its problems are reassigned; it can no longer be assigned, and its history stays readable', async () => {
      // given a department with an open problem, which is then reassigned elsewhere
      const id = await createDepartment('Closing Department');
      const { id: problemId, response: assigned } = await assignTo(id);
      expect(assigned.status).toBe(200);
      const reassigned = await steps.send('inspector', problemId, {
        type: 'REASSIGN',
        departmentId: t.org.departments.facilities,
        reason: 'The department is being wound up',
      });
      expect(reassigned.status).toBe(200);

      // when
      const deactivated = await admin.post(`/admin/departments/${id}/deactivate`);

      // then
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ id, name: 'Closing Department', active: false });
      expect(findNode(await tree(), id)).toMatchObject({ active: false });

      // when the inspector tries to hand problems to it
      const { id: freshId } = await steps.inStage('found');
      const freshBefore = await steps.footprint(freshId);
      const assign = await steps.send('inspector', freshId, { type: 'ASSIGN', departmentId: id, deadline: FAR_DEADLINE });
      const backBefore = await steps.footprint(problemId);
      const reassignBack = await steps.send('inspector', problemId, { type: 'REASSIGN', departmentId: id, reason: 'Back again' });

      // then
      expectApiError(assign, 422, 'DEPARTMENT.UNKNOWN');
      expectApiError(reassignBack, 422, 'DEPARTMENT.UNKNOWN');
      expect(await steps.footprint(freshId)).toEqual(freshBefore);
      expect(await steps.footprint(problemId)).toEqual(backBefore);

      // and the admin still reads what the department did
      const history = await steps.history('admin', problemId);
      expect(history.status).toBe(200);
      expect(history.body.items.map((row: { eventType: string }) => row.eventType)).toEqual(['FILE', 'ASSIGN', 'REASSIGN']);
      expect(history.body.items[1]).toMatchObject({ eventType: 'ASSIGN', payload: { departmentId: id } });
      expect((await admin.get(`/admin/departments/${id}`)).body).toMatchObject({ id, name: 'Closing Department', active: false });
    });

    it('refuses to create a user in, or move a department under, a deactivated department', async () => {
      // given
      const gone = await createDepartment('Gone Department');
      expect((await admin.post(`/admin/departments/${gone}/deactivate`)).status).toBe(200);
      const other = await createDepartment('Other Department');
      const usersBefore = (await admin.get('/admin/users')).body.items.length;

      // when
      const user = await admin.post('/admin/users', { name: 'Late Joiner', role: 'department', departmentId: gone });
      const move = await admin.patch(`/admin/departments/${other}`, { parentId: gone });

      // then
      expectApiError(user, 422, 'DEPARTMENT.UNKNOWN');
      expectApiError(move, 422, 'DEPARTMENT.INACTIVE');
      expect((await admin.get('/admin/users')).body.items).toHaveLength(usersBefore);
      expect((await admin.get(`/admin/departments/${other}`)).body.parentId).toBeNull();
    });
  });

  describe('departments by id', () => {
    it('answers an unknown department id in the path with 404 DEPARTMENT.NOT_FOUND', async () => {
      for (const response of [
        await admin.get(`/admin/departments/${randomUUID()}`),
        await admin.patch(`/admin/departments/${randomUUID()}`, { name: 'x' }),
        await admin.post(`/admin/departments/${randomUUID()}/deactivate`),
      ]) {
        expectApiError(response, 404, 'DEPARTMENT.NOT_FOUND');
      }
    });

    it('records no audit row for an update that changes nothing', async () => {
      // given
      const id = await createDepartment('Unchanged office');
      const before = (await auditLog()).length;

      // when
      const response = await admin.patch(`/admin/departments/${id}`, {});

      // then
      expect(response.status).toBe(200);
      expect((await auditLog()).length).toBe(before);
    });
  });

  describe('users', () => {
    it.each([
      ['admin', undefined],
      ['inspector', 'office'],
      ['supervisor', 'office'],
      ['department', 'facilities'],
    ] as const)('creates a %s user whose first token is shown once and works', async (role, department) => {
      // given
      const departmentId = department === undefined ? undefined : t.org.departments[department];

      // when
      const created = await admin.post('/admin/users', { name: `New ${role}`, role, ...(departmentId ? { departmentId } : {}) });

      // then
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        user: {
          id: expect.any(String),
          name: `New ${role}`,
          username: `new.${role}`,
          role,
          departmentId: departmentId ?? null,
          active: true,
          mustChangePassword: false,
          createdAt: t.clock.now().toISOString(),
        },
        token: {
          id: expect.any(String),
          userId: created.body.user.id,
          label: 'initial',
          createdAt: t.clock.now().toISOString(),
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
          token: expect.stringMatching(/^rk_[A-Za-z0-9_-]{40,}$/),
        },
      });
      const token = created.body.token.token as string;

      // the token works, for this user
      const self = await me(token);
      expect(self.status).toBe(200);
      expect(self.body.user).toEqual({ id: created.body.user.id, name: `New ${role}`, role });

      // and is never shown again
      for (const response of [
        await admin.get(`/admin/users/${created.body.user.id}`),
        await admin.get('/admin/users'),
        await admin.get(`/admin/users/${created.body.user.id}/tokens`),
        await admin.get('/admin/audit?limit=200'),
      ]) {
        expect(response.status).toBe(200);
        expect(response.text).not.toContain(token);
        expect(response.text).not.toContain(hashApiToken(token));
      }
      expect((await admin.get(`/admin/users/${created.body.user.id}`)).body).toEqual(created.body.user);
    });

    it.each(['department', 'supervisor'])('requires a department for a %s user: 422 USER.DEPARTMENT_REQUIRED', async (role) => {
      // given
      const usersBefore = await admin.get('/admin/users');
      const auditBefore = await auditLog();

      // when
      const response = await admin.post('/admin/users', { name: 'No Department', role });

      // then
      expectApiError(response, 422, 'USER.DEPARTMENT_REQUIRED');
      expect(response.body.details).toEqual({ field: 'departmentId' });
      expect((await admin.get('/admin/users')).body).toEqual(usersBefore.body);
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('refuses an unknown role with 400 naming role', async () => {
      // given
      const usersBefore = await admin.get('/admin/users');

      for (const role of ['superuser', 'Admin', '', 7, null]) {
        // when
        const response = await admin.post('/admin/users', { name: 'Someone', role, departmentId: t.org.departments.office });

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ role, fields: invalidFields(response) }).toEqual({ role, fields: ['role'] });
      }
      expect((await admin.get('/admin/users')).body).toEqual(usersBefore.body);
    });

    it('refuses a first token that would already have expired, creating no user', async () => {
      // given
      const usersBefore = await admin.get('/admin/users');
      const auditBefore = await auditLog();

      // when
      const response = await admin.post('/admin/users', { name: 'Born Expired', role: 'inspector', tokenExpiresAt: '2026-03-01T00:00:00Z' });

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['tokenExpiresAt']);
      expect((await admin.get('/admin/users')).body).toEqual(usersBefore.body);
      expect(await auditLog()).toEqual(auditBefore);
    });

    it('lists all users without tokens or hashes', async () => {
      // when
      const response = await admin.get('/admin/users');

      // then
      expect(response.status).toBe(200);
      const ids = response.body.items.map((user: { id: string }) => user.id);
      expect(ids).toEqual(expect.arrayContaining([adminId, ...Object.values(t.org.users).map((user) => user.actor.userId)]));
      for (const user of response.body.items) {
        expect(Object.keys(user).sort()).toEqual(['active', 'createdAt', 'departmentId', 'id', 'mustChangePassword', 'name', 'role', 'username']);
      }
      for (const token of Object.values(t.tokens)) {
        expect(response.text).not.toContain(token);
        expect(response.text).not.toContain(hashApiToken(token));
      }
    });
  });

  describe('tokens', () => {
    it("lists a user's tokens without ever exposing a token or its hash", async () => {
      // given a user with a second token, issued a second later (tokens are listed in the order they were issued)
      const { userId, token: first } = await createUser('inspector');
      t.clock.advance(1_000);
      const issued = await admin.post(`/admin/users/${userId}/tokens`, { label: 'ci-integration' });
      expect(issued.status).toBe(201);
      const second = issued.body.token as string;

      // when
      const response = await admin.get(`/admin/users/${userId}/tokens`);

      // then
      expect(response.status).toBe(200);
      expect(response.body.items.map((token: { label: string }) => token.label)).toEqual(['initial', 'ci-integration']);
      for (const token of response.body.items) {
        expect(Object.keys(token).sort()).toEqual(TOKEN_SUMMARY_KEYS);
      }
      for (const secret of [first, second, hashApiToken(first), hashApiToken(second)]) {
        expect(response.text).not.toContain(secret);
      }
    });

    it('issues a token with an expiry: it works until then and answers 401 from then on', async () => {
      // given
      const { userId, token: initial } = await createUser('inspector');
      const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();

      // when
      const issued = await admin.post(`/admin/users/${userId}/tokens`, { label: 'one hour', expiresAt });

      // then
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ userId, label: 'one hour', expiresAt, revokedAt: null, token: expect.any(String) });
      const token = issued.body.token as string;
      expect((await me(token)).status).toBe(200);

      // when the clock reaches one millisecond before the expiry
      t.clock.advance(3_600_000 - 1);

      // then
      expect((await me(token)).status).toBe(200);

      // when it reaches the expiry
      t.clock.advance(1);

      // then
      expectApiError(await me(token), 401, 'AUTH.INVALID_TOKEN');
      expect((await me(initial)).status).toBe(200);
    });

    it('refuses an expiry that is not in the future, or has no time zone, with 400', async () => {
      // given
      const { userId } = await createUser('inspector');
      const now = t.clock.now().toISOString();

      for (const expiresAt of [now, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00', 'tomorrow']) {
        // when
        const response = await admin.post(`/admin/users/${userId}/tokens`, { label: 'bad expiry', expiresAt });

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ expiresAt, fields: invalidFields(response) }).toEqual({ expiresAt, fields: ['expiresAt'] });
      }
      expect((await admin.get(`/admin/users/${userId}/tokens`)).body.items).toHaveLength(1);
    });

    it('revokes a token: its very next request gets 401, the user\'s other tokens keep working', async () => {
      // given
      const { userId, token: initial } = await createUser('supervisor', t.org.departments.office);
      const issued = await admin.post(`/admin/users/${userId}/tokens`, { label: 'laptop' });
      const token = issued.body.token as string;
      expect((await me(token)).status).toBe(200);

      // when
      const revoked = await admin.post(`/admin/tokens/${issued.body.id}/revoke`);

      // then
      expect(revoked.status).toBe(200);
      const { token: _shownOnce, ...summary } = issued.body;
      expect(revoked.body).toEqual({ ...summary, revokedAt: t.clock.now().toISOString(), lastUsedAt: t.clock.now().toISOString() });
      expect(revoked.text).not.toContain(token);
      expectApiError(await me(token), 401, 'AUTH.INVALID_TOKEN');
      expect((await me(initial)).status).toBe(200);
      const listed = (await admin.get(`/admin/users/${userId}/tokens`)).body.items;
      expect(listed.find((row: { id: string }) => row.id === issued.body.id)).toMatchObject({ revokedAt: t.clock.now().toISOString() });
    });

    it('revokes a token twice harmlessly, auditing it once, and answers an unknown token id with 404', async () => {
      // given
      const { tokenId } = await createUser('inspector');
      const first = await admin.post(`/admin/tokens/${tokenId}/revoke`);
      const auditAfterFirst = await auditLog();

      // when
      const again = await admin.post(`/admin/tokens/${tokenId}/revoke`);
      const unknown = await admin.post(`/admin/tokens/${randomUUID()}/revoke`);

      // then
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expectApiError(unknown, 404, 'TOKEN.NOT_FOUND');
      expect(await auditLog()).toEqual(auditAfterFirst);
      expect(auditAfterFirst.filter((row) => row.action === 'token.revoked' && row.targetId === tokenId)).toHaveLength(1);
    });

    it('records when a token was last used', async () => {
      // given a token never used
      const { userId, tokenId, token } = await createUser('inspector');
      const lastUsed = async () =>
        ((await admin.get(`/admin/users/${userId}/tokens`)).body.items as Array<{ id: string; lastUsedAt: string | null }>).find(
          (row) => row.id === tokenId,
        )!.lastUsedAt;
      expect(await lastUsed()).toBeNull();

      // when it is used
      const usedAt = t.clock.now().toISOString();
      expect((await me(token)).status).toBe(200);

      // then
      expect(await lastUsed()).toBe(usedAt);

      // when it is used again two minutes later
      t.clock.advance(120_000);
      const usedAgainAt = t.clock.now().toISOString();
      expect((await me(token)).status).toBe(200);

      // then
      expect(await lastUsed()).toBe(usedAgainAt);
    });
  });

  describe('user deactivation', () => {
    it('refuses every token of a deactivated user from the next request on, and accepts them again after reactivation', async () => {
      // given a department user with two tokens
      const { userId, token } = await createUser('department', t.org.departments.production);
      const second = (await admin.post(`/admin/users/${userId}/tokens`, { label: 'phone' })).body.token as string;
      expect((await me(token)).status).toBe(200);

      // when
      const deactivated = await admin.post(`/admin/users/${userId}/deactivate`);

      // then
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ id: userId, active: false });
      expectApiError(await me(token), 401, 'AUTH.INVALID_TOKEN');
      expectApiError(await me(second), 401, 'AUTH.INVALID_TOKEN');
      expectApiError(await call(token, 'get', '/problems'), 401, 'AUTH.INVALID_TOKEN');
      expect((await admin.get(`/admin/users/${userId}`)).body.active).toBe(false);

      // when
      const reactivated = await admin.post(`/admin/users/${userId}/reactivate`);

      // then
      expect(reactivated.status).toBe(200);
      expect(reactivated.body).toMatchObject({ id: userId, active: true });
      expect((await me(token)).status).toBe(200);
      expect((await me(second)).status).toBe(200);
    });

    it('answers an unknown user id with 404 USER.NOT_FOUND', async () => {
      for (const path of ['', '/deactivate', '/reactivate', '/tokens']) {
        // when
        const response = path === '' || path === '/tokens'
          ? await admin.get(`/admin/users/${randomUUID()}${path}`)
          : await admin.post(`/admin/users/${randomUUID()}${path}`);

        // then
        expectApiError(response, 404, 'USER.NOT_FOUND');
      }
    });

    it('refuses to let an admin deactivate themselves with 422 USER.SELF_DEACTIVATION, leaving them active', async () => {
      // when
      const response = await admin.post(`/admin/users/${adminId}/deactivate`);

      // then
      expectApiError(response, 422, 'USER.SELF_DEACTIVATION');
      expect((await me(t.tokens.admin)).status).toBe(200);
    });
  });

  describe('audit log', () => {
    it('lists each admin action — who, what, target, when — newest first', async () => {
      // given eight admin actions, a minute apart
      const at: string[] = [];
      const tick = async () => {
        t.clock.advance(60_000);
        at.push(t.clock.now().toISOString());
        // Audit ids are UUIDv7 stamped by the system clock (real time, not the fake one): a real millisecond
        // between two actions makes "newest first" unambiguous.
        await new Promise((resolve) => setTimeout(resolve, 2));
      };
      await tick();
      const department = await createDepartment('Audited Department');
      await tick();
      expect((await admin.patch(`/admin/departments/${department}`, { name: 'Audited Department (renamed)' })).status).toBe(200);
      await tick();
      const { userId, tokenId } = await createUser('department', department);
      await tick();
      const issued = await admin.post(`/admin/users/${userId}/tokens`, { label: 'second' });
      expect(issued.status).toBe(201);
      await tick();
      expect((await admin.post(`/admin/tokens/${tokenId}/revoke`)).status).toBe(200);
      await tick();
      expect((await admin.post(`/admin/users/${userId}/deactivate`)).status).toBe(200);
      await tick();
      expect((await admin.post(`/admin/users/${userId}/reactivate`)).status).toBe(200);
      await tick();
      expect((await admin.patch(`/admin/departments/${department}`, { parentId: t.org.departments.office })).status).toBe(200);

      // when
      const response = await admin.get('/admin/audit?limit=8');

      // then
      expect(response.status).toBe(200);
      const who = { actorId: adminId, actorName: 'Administrator' };
      expect(response.body.items).toEqual(
        [
          { ...who, action: 'department.created', targetType: 'department', targetId: department, details: { name: 'Audited Department', parentId: null, headUserId: null }, occurredAt: at[0] },
          { ...who, action: 'department.updated', targetType: 'department', targetId: department, details: { before: { name: 'Audited Department' }, after: { name: 'Audited Department (renamed)' } }, occurredAt: at[1] },
          { ...who, action: 'user.created', targetType: 'user', targetId: userId, details: { name: 'A department user', username: expect.stringMatching(/^a\.department\.user/), role: 'department', departmentId: department, tokenId }, occurredAt: at[2] },
          { ...who, action: 'token.issued', targetType: 'token', targetId: issued.body.id, details: { userId, label: 'second', expiresAt: null }, occurredAt: at[3] },
          { ...who, action: 'token.revoked', targetType: 'token', targetId: tokenId, details: { userId, label: 'initial' }, occurredAt: at[4] },
          { ...who, action: 'user.deactivated', targetType: 'user', targetId: userId, details: { name: 'A department user' }, occurredAt: at[5] },
          { ...who, action: 'user.reactivated', targetType: 'user', targetId: userId, details: { name: 'A department user' }, occurredAt: at[6] },
          { ...who, action: 'department.updated', targetType: 'department', targetId: department, details: { before: { parentId: null }, after: { parentId: t.org.departments.office } }, occurredAt: at[7] },
        ]
          .reverse()
          .map((row) => ({ id: expect.any(String), ...row })),
      );
      expect(response.body.nextCursor).toBe(response.body.items[7].id);
      expect(response.text).not.toContain(issued.body.token);
    });

    it('pages through the whole log with nextCursor, without gaps or repeats', async () => {
      // given
      const everything = await auditLog();
      expect(everything.length).toBeGreaterThan(7);

      // when
      const pages: AuditRow[][] = [];
      let cursor: string | null = null;
      do {
        const response: Response = await admin.get(`/admin/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        pages.push(response.body.items);
        cursor = response.body.nextCursor;
      } while (cursor !== null && pages.length < 100);

      // then
      expect(pages.flat()).toEqual(everything);
      expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
      expect(pages[pages.length - 1].length).toBeGreaterThan(0);
      const times = everything.map((row) => row.occurredAt);
      expect(times).toEqual([...times].sort().reverse());
    });

    it('refuses invalid paging with 400', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=not-an-id', 'cursor'],
      ]) {
        // when
        const response = await admin.get(`/admin/audit?${query}`);

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ query, fields: invalidFields(response) }).toEqual({ query, fields: [field] });
      }
    });

    it('writes no row for a refused admin action', async () => {
      // given a department with an open problem, and a department with an active child
      const busy = await createDepartment('Refusals: busy');
      expect((await assignTo(busy)).response.status).toBe(200);
      const parent = await createDepartment('Refusals: parent');
      const child = await createDepartment('Refusals: child', parent);
      const { userId } = await createUser('inspector');
      const before = await auditLog();

      // when every kind of refusal is tried
      const refusals: Array<[Response, number]> = [
        [await admin.post(`/admin/departments/${busy}/deactivate`), 409],
        [await admin.post(`/admin/departments/${parent}/deactivate`), 409],
        [await admin.patch(`/admin/departments/${parent}`, { parentId: child }), 422],
        [await admin.post('/admin/departments', { name: 'Nowhere', parentId: randomUUID() }), 422],
        [await admin.post('/admin/departments', { name: '' }), 400],
        [await admin.post('/admin/users', { name: 'No Department', role: 'department' }), 422],
        [await admin.post('/admin/users', { name: 'Bad Role', role: 'root' }), 400],
        [await admin.post(`/admin/users/${userId}/tokens`, { label: 'past', expiresAt: '2026-01-01T00:00:00Z' }), 400],
        [await admin.post(`/admin/users/${randomUUID()}/deactivate`), 404],
        [await admin.post(`/admin/tokens/${randomUUID()}/revoke`), 404],
        [await call(t.tokens.supervisor, 'post', '/admin/departments', { name: 'By a supervisor' }), 403],
        [await call(t.tokens.inspector, 'post', `/admin/users/${userId}/deactivate`), 403],
        [await call(null, 'post', `/admin/users/${userId}/tokens`, { label: 'anonymous' }), 401],
      ];

      // then
      expect(refusals.map(([response]) => response.status)).toEqual(refusals.map(([, status]) => status));
      expect(await auditLog()).toEqual(before);
    });
  });

  describe('every /admin route is for admins only', () => {
    /** Each admin route with valid arguments, so that only the caller can be the reason for a refusal. */
    function routes(): Array<[Method, string, Record<string, unknown>?]> {
      const department = t.org.departments.facilities;
      const user = t.org.users.production.actor.userId;
      return [
        ['get', '/admin/departments'],
        ['post', '/admin/departments', { name: 'Sneaky Department' }],
        ['get', `/admin/departments/${department}`],
        ['patch', `/admin/departments/${department}`, { name: 'Renamed by someone' }],
        ['post', `/admin/departments/${t.org.departments.production}/deactivate`],
        ['get', '/admin/users'],
        ['post', '/admin/users', { name: 'Sneaky Admin', role: 'admin' }],
        ['get', `/admin/users/${user}`],
        ['post', `/admin/users/${user}/deactivate`],
        ['post', `/admin/users/${user}/reactivate`],
        ['get', `/admin/users/${user}/tokens`],
        ['post', `/admin/users/${user}/tokens`, { label: 'sneaky' }],
        ['post', `/admin/users/${user}/password`, { password: 'a sneaky password' }],
        ['post', `/admin/users/${user}/invitation`],
        ['post', `/admin/tokens/${randomUUID()}/revoke`],
        ['get', '/admin/audit'],
        ['post', '/admin/webhooks', { url: 'http://127.0.0.1:9/sneaky' }],
        ['get', '/admin/webhooks'],
        ['get', `/admin/webhooks/${randomUUID()}`],
        ['post', `/admin/webhooks/${randomUUID()}/disable`],
        ['post', `/admin/webhooks/${randomUUID()}/enable`],
        ['get', `/admin/webhooks/${randomUUID()}/deliveries`],
        ['get', `/admin/webhook-deliveries/${randomUUID()}`],
        ['post', `/admin/webhook-deliveries/${randomUUID()}/redeliver`],
        ['get', '/admin/calendar'],
        ['get', '/admin/calendar/days'],
        ['post', '/admin/calendar/closures', { date: '2026-12-31', reason: 'Sneaky closure' }],
        ['delete', '/admin/calendar/closures/{date}'],
        ['post', '/admin/calendar/import', { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
        ['post', '/admin/calendar/refresh-national'],
        ['get', '/admin/deadline-policy/presets'],
        ['post', '/admin/deadline-policy', { basedOnVersion: 1, policy: {} }],
        ['get', '/admin/evidence/verify'],
        ['post', '/admin/notification-channels', { kind: 'wecom', name: 'Sneaky robot', webhookUrl: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=x' }],
        ['get', '/admin/notification-channels'],
        ['patch', `/admin/notification-channels/${randomUUID()}`, { name: 'Renamed by someone' }],
        ['post', `/admin/notification-channels/${randomUUID()}/test`],
        ['get', '/admin/notifications/routing'],
        ['put', '/admin/notifications/routing', { rules: [] }],
        ['get', '/admin/notifications'],
        ['get', `/admin/notifications/${randomUUID()}`],
        ['post', `/admin/notifications/${randomUUID()}/redeliver`],
        ['put', `/admin/users/${user}/notification-settings`, { email: 'sneaky@example.org' }],
      ];
    }

    it('the list below covers every /admin route of the API', async () => {
      // given
      const docs = await t.http().get('/docs-json');
      const documented = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)
        .filter(([path]) => path.startsWith('/admin'))
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
        .sort();

      // when
      const tested = routes()
        .map(([method, path]) => `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`)
        .sort();

      // then
      expect(tested).toEqual(documented);
    });

    it.each(['inspector', 'supervisor', 'facilities', 'production'] as RoleName[])('answers %s with 403 AUTH.FORBIDDEN, changing nothing', async (name) => {
      // given
      const treeBefore = await tree();
      const usersBefore = (await admin.get('/admin/users')).body;
      const auditBefore = await auditLog();

      for (const [method, path, body] of routes()) {
        // when
        const response = await call(t.tokens[name], method, path, body);

        // then
        expect({ method, path, status: response.status, code: response.body.code }).toEqual({ method, path, status: 403, code: 'AUTH.FORBIDDEN' });
        expectApiError(response, 403, 'AUTH.FORBIDDEN');
      }
      expect(await tree()).toEqual(treeBefore);
      expect((await admin.get('/admin/users')).body).toEqual(usersBefore);
      expect(await auditLog()).toEqual(auditBefore);
      expect((await me(t.tokens.production)).status).toBe(200);
    });

    it('answers a request without a token with 401 AUTH.MISSING_TOKEN', async () => {
      for (const [method, path, body] of routes()) {
        // when
        const response = await call(null, method, path, body);

        // then
        expect({ method, path, status: response.status, code: response.body.code }).toEqual({ method, path, status: 401, code: 'AUTH.MISSING_TOKEN' });
        expectApiError(response, 401, 'AUTH.MISSING_TOKEN');
      }
    });
  });

  describe('GET /me', () => {
    const INSPECTING = ['ASSIGN', 'REASSIGN', 'APPROVE', 'REJECT', 'CANCEL', 'REOPEN'];

    it.each([
      [
        'admin',
        {
          department: null,
          may: {
            fileProblems: true,
            administer: true,
            events: ['ASSIGN', 'REASSIGN', 'CANCEL', 'RECOUNT_DEADLINE'].map((event) => ({ event, when: 'any' })),
          },
        },
      ],
      [
        'inspector',
        {
          department: 'office',
          may: { fileProblems: true, administer: false, events: INSPECTING.map((event) => ({ event, when: 'filer' })) },
        },
      ],
      [
        'supervisor',
        {
          department: 'office',
          may: {
            fileProblems: true,
            administer: false,
            events: [
              'ASSIGN', 'REASSIGN', 'APPROVE', 'REJECT', 'CLOSE', 'CANCEL', 'REOPEN',
              'APPROVE_EXTENSION', 'REJECT_EXTENSION', 'APPROVE_SUSPENSION', 'REJECT_SUSPENSION', 'RESUME', 'RECOUNT_DEADLINE',
            ].map((event) => ({ event, when: 'supervising' })),
          },
        },
      ],
      [
        'facilities',
        {
          department: 'facilities',
          may: {
            fileProblems: false,
            administer: false,
            events: ['START', 'REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION', 'RESUME'].map((event) => ({ event, when: 'responsibleDepartment' })),
          },
        },
      ],
      [
        'production',
        {
          department: 'production',
          may: {
            fileProblems: false,
            administer: false,
            events: ['START', 'REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION', 'RESUME'].map((event) => ({ event, when: 'responsibleDepartment' })),
          },
        },
      ],
    ] as Array<[RoleName, { department: 'office' | 'facilities' | 'production' | null; may: Record<string, unknown> }]>)(
      'tells %s who they are, their department, what they may do and what they see',
      async (name, expected) => {
        // given
        const departments = t.org.departments;
        const user = name === 'admin' ? { id: adminId, name: 'Administrator', role: 'admin' } : (() => {
          const actor = t.org.users[name].actor;
          return { id: actor.userId, name: actor.name, role: actor.role };
        })();
        const department =
          expected.department === null
            ? null
            : {
                id: departments[expected.department],
                name: {
                  office: 'Safety Supervision Office (安全督查办)',
                  facilities: 'Facilities Department (设施部)',
                  production: 'Production Department (生产部)',
                }[expected.department],
                parentId: expected.department === 'office' ? null : departments.office,
              };
        const scopes = {
          admin: { kind: 'everything' },
          inspector: { kind: 'inspector', userId: user.id },
          // the office and everything below it, as the department tree shows it (other tests here add to it)
          supervisor: { kind: 'departments', departmentIds: subtreeIds(findNode(await tree(), departments.office)!).sort() },
          facilities: { kind: 'departments', departmentIds: [departments.facilities] },
          production: { kind: 'departments', departmentIds: [departments.production] },
        };

        // when
        const response = await me(t.tokens[name]);

        // then
        expect(response.status).toBe(200);
        const body = response.body;
        if (body.scope?.departmentIds) body.scope.departmentIds.sort();
        expect(body).toEqual({ user, department, may: expected.may, scope: scopes[name] });
      },
    );

    it('answers without a token with 401', async () => {
      expectApiError(await t.http().get('/me'), 401, 'AUTH.MISSING_TOKEN');
      expectApiError(await me('rk_not-a-real-token'), 401, 'AUTH.INVALID_TOKEN');
    });
  });
});

describe('Names people pick from a list: departments, users, token labels', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body);
  const patch = (path: string, body: Record<string, unknown>) => t.http().patch(path).auth(t.tokens.admin, { type: 'bearer' }).send(body);
  const departments = async () => (await t.http().get('/admin/departments').auth(t.tokens.admin, { type: 'bearer' })).body.items as unknown[];
  const auditLength = async () => (await t.http().get('/admin/audit?limit=200').auth(t.tokens.admin, { type: 'bearer' })).body.items.length as number;

  async function createDepartment(name: string, parentId?: string): Promise<string> {
    const response = await post('/admin/departments', { name, ...(parentId === undefined ? {} : { parentId }) });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  it('stores names composed (NFC) and trimmed', async () => {
    // when
    const department = await post('/admin/departments', { name: '  Cafe\u0301 Services (餐饮部)\u3000' });
    const user = await post('/admin/users', { name: ' Wang Fang\t', role: 'inspector' });
    const token = await post(`/admin/users/${user.body.user?.id}/tokens`, { label: '  ci-integration ' });

    // then
    expect(department.status).toBe(201);
    expect(department.body.name).toBe('Café Services (餐饮部)');
    expect(user.status).toBe(201);
    expect(user.body.user.name).toBe('Wang Fang');
    expect(token.status).toBe(201);
    expect(token.body.label).toBe('ci-integration');
  });

  it('refuses a name that is blank once trimmed with 400, naming the field, and changes nothing', async () => {
    // given
    const id = await createDepartment('Blank test office');
    const { userId } = { userId: (await post('/admin/users', { name: 'Blank Token Owner', role: 'inspector' })).body.user.id as string };
    const [treeBefore, auditBefore] = [await departments(), await auditLength()];

    for (const blank of ['   ', '\u3000', ' \u00A0 \n']) {
      // when
      const responses: Array<[Response, string]> = [
        [await post('/admin/departments', { name: blank }), 'name'],
        [await patch(`/admin/departments/${id}`, { name: blank }), 'name'],
        [await post('/admin/users', { name: blank, role: 'inspector' }), 'name'],
        [await post(`/admin/users/${userId}/tokens`, { label: blank }), 'label'],
      ];

      // then
      for (const [response, field] of responses) {
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ blank, fields: invalidFields(response) }).toEqual({ blank, fields: [field] });
      }
    }
    expect(await departments()).toEqual(treeBefore);
    expect(await auditLength()).toBe(auditBefore);
  });

  it.each([
    ['a zero-width space', 'Facilities\u200B', ['U+200B']],
    ['a zero-width joiner and non-joiner', 'Faci\u200Dli\u200Cties', ['U+200D', 'U+200C']],
    ['a word joiner', 'Facil\u2060ities', ['U+2060']],
    ['a byte-order mark inside', 'Facil\uFEFFities', ['U+FEFF']],
    ['a right-to-left override', 'Facilities \u202Eeciffo', ['U+202E']],
    ['bidi isolates', '\u2066Facilities\u2069', ['U+2066', 'U+2069']],
    ['direction marks', 'Facilities\u200E\u200F\u061C office', ['U+200E', 'U+200F', 'U+061C']],
    ['a line break inside', 'Facilities\noffice', ['U+000A']],
  ])('refuses %s in a name with 422 TEXT.INVISIBLE_CHARACTERS, and changes nothing', async (_name, name, characters) => {
    // given
    const id = await createDepartment(`Invisible test ${characters.join(' ')}`);
    const userId = (await post('/admin/users', { name: `Owner ${characters.join(' ')}`, role: 'inspector' })).body.user.id as string;
    const [treeBefore, auditBefore] = [await departments(), await auditLength()];

    // when
    const responses: Array<[Response, string]> = [
      [await post('/admin/departments', { name }), 'name'],
      [await patch(`/admin/departments/${id}`, { name }), 'name'],
      [await post('/admin/users', { name, role: 'inspector' }), 'name'],
      [await post(`/admin/users/${userId}/tokens`, { label: name }), 'label'],
    ];

    // then
    for (const [response, field] of responses) {
      expectApiError(response, 422, 'TEXT.INVISIBLE_CHARACTERS');
      expect(response.body.details).toEqual({ field, characters });
    }
    expect(await departments()).toEqual(treeBefore);
    expect(await auditLength()).toBe(auditBefore);
  });

  it('refuses a second department of the same name under the same parent (after NFC, trimming, case) with 409, on create, rename and move', async () => {
    // given a parent with "Facilities" under it, and "Production" under another parent
    const parent = await createDepartment('Duplicate test parent');
    const other = await createDepartment('Duplicate test other parent');
    const facilities = await createDepartment('Café Facilities', parent);
    const production = await createDepartment('Production', parent);
    const elsewhere = await createDepartment('cafe\u0301 facilities', other);
    const [treeBefore, auditBefore] = [await departments(), await auditLength()];

    // when
    const responses = [
      await post('/admin/departments', { name: 'Café Facilities', parentId: parent }),
      await post('/admin/departments', { name: '  CAFE\u0301 FACILITIES ', parentId: parent }),
      await patch(`/admin/departments/${production}`, { name: 'café facilities' }),
      await patch(`/admin/departments/${elsewhere}`, { parentId: parent }),
      await patch(`/admin/departments/${elsewhere}`, { parentId: parent, name: 'Cafe\u0301 Facilities' }),
    ];

    // then
    for (const response of responses) {
      expectApiError(response, 409, 'DEPARTMENT.DUPLICATE_NAME');
      expect(response.body.details).toEqual({ field: 'name', departmentId: facilities, parentId: parent });
    }
    expect(await departments()).toEqual(treeBefore);
    expect(await auditLength()).toBe(auditBefore);

    // while the same name under another parent, or at the top, is fine, and so is renaming a department to itself
    expect((await post('/admin/departments', { name: 'Café Facilities' })).status).toBe(201);
    expect((await patch(`/admin/departments/${facilities}`, { name: 'CAFÉ FACILITIES' })).status).toBe(200);
    expect((await patch(`/admin/departments/${elsewhere}`, { parentId: parent, name: 'Other Facilities' })).status).toBe(200);
  });

  it('lets the name of a deactivated department be used again under the same parent', async () => {
    // given
    const parent = await createDepartment('Reuse test parent');
    const old = await createDepartment('Stores', parent);
    expect((await post(`/admin/departments/${old}/deactivate`, {})).status).toBe(200);

    // when
    const again = await post('/admin/departments', { name: 'Stores', parentId: parent });

    // then
    expect(again.status).toBe(201);
  });
});
