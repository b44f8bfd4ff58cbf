import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProblemSteps, type RoleName } from '../support/problem-steps.js';
import { expectDocumented, type OpenApiDocument, responseSchema, schemaErrors } from '../support/openapi-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'rectify by friday 2026';

/*
 * The console is type-checked against the OpenAPI document (its client is generated from it), so the document must
 * say what the server really answers. Real answers, taken through the API, are checked against the schema each
 * operation documents (test/support/openapi-schema.ts: an unnamed field is an error too).
 */
describe('The OpenAPI document’s answers (GET /docs-json) against the real ones', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let document: OpenApiDocument;


  const as = (role: RoleName) => ({ Authorization: `Bearer ${t.tokens[role]}` });


  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
  });
  afterAll(async () => {
    await t.close();
  });

  it('documents a body for every answer that has one: JSON with its schema, the rest with their media type', () => {
    // given every operation's successful answers, as the document lists them
    const undocumented: string[] = [];
    const notJson: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, answer] of Object.entries(operation.responses)) {
          if (!status.startsWith('2') || status === '204') continue;
          const content = answer.content ?? {};
          const operationName = `${method.toUpperCase()} ${path} ${status}`;
          if (Object.keys(content).length === 0 || Object.values(content).some((body) => !body.schema)) undocumented.push(operationName);
          if (!content['application/json']) notJson.push(`${operationName}: ${Object.keys(content).join(', ')}`);
        }
      }
    }

    // then none is left without a body the console's generated client can type, and only these answer other than JSON
    expect(undocumented).toEqual([]);
    expect(notJson.sort()).toEqual([
      'GET /events/stream 200: text/event-stream',
      'GET /problems/{id}/evidence/{evidenceId}/content 200: */*',
    ]);
  });

  it('refuses what the document does not say, so the checks below can fail', async () => {
    // given a real problem and the schema of GET /problems/{id}
    const filed = await steps.file();
    const problem = (await steps.get('inspector', filed.body.id)).body as Record<string, unknown>;
    const schema = responseSchema(document, 'GET', '/problems/{id}', 200);
    expect(schemaErrors(document, schema, problem)).toEqual([]);

    // then a missing, an extra, a mistyped, a null and an unknown enum value are each named
    const { title: _title, ...untitled } = problem;
    expect(schemaErrors(document, schema, untitled)).toEqual(['$.title: required, missing']);
    expect(schemaErrors(document, schema, { ...problem, secret: 1 })).toEqual(['$.secret: not in the schema']);
    expect(schemaErrors(document, schema, { ...problem, version: '1' })).toEqual(['$.version: "1" is not an integer']);
    expect(schemaErrors(document, schema, { ...problem, createdAt: null })).toEqual(['$.createdAt: null, but the schema is not nullable']);
    expect(schemaErrors(document, schema, { ...problem, state: 'lost' })).toEqual([expect.stringContaining('$.state: "lost" is not one of')]);
    expect(schemaErrors(document, schema, { ...problem, pendingRequest: { kind: 'suspension', reason: 'x' } })).toEqual([
      '$.pendingRequest.requestedAt: required, missing',
      '$.pendingRequest.requestedBy: required, missing',
    ]);
  });

  it('describes the problem answers: filing, one problem, the list, counts, events, history and its check, the deadline', async () => {
    // given a problem with a policy-counted deadline, a plan, progress, a suspension that ended and an extension waiting
    const filed = await steps.file();
    expectDocumented(document, filed, 'POST', '/problems', 201);
    const { id } = filed.body as { id: string };
    expectDocumented(document, await steps.accepted('inspector', id, 'ASSIGN', { deadline: undefined }), 'POST', '/problems/{id}/events');
    await steps.accepted('facilities', id, 'START');
    await steps.accepted('facilities', id, 'REPORT_PROGRESS');
    await steps.accepted('facilities', id, 'REQUEST_SUSPENSION');
    await steps.accepted('supervisor', id, 'APPROVE_SUSPENSION');
    t.clock.advance(3 * 86_400_000);
    await steps.accepted('supervisor', id, 'RESUME');
    await steps.accepted('facilities', id, 'REQUEST_EXTENSION');
    // and one closed after verification
    const closed = await steps.inStage('closed');

    // then
    for (const [role, problemId] of [['inspector', id], ['facilities', id], ['supervisor', closed.id]] as const) {
      const problem = await steps.get(role, problemId);
      expectDocumented(document, problem, 'GET', '/problems/{id}');
      expectDocumented(document, await t.http().get(`/problems/${problemId}/deadline`).set(as(role)), 'GET', '/problems/{id}/deadline');
      expectDocumented(document, await steps.history(role, problemId), 'GET', '/problems/{id}/history');
      expectDocumented(document, await t.http().get(`/problems/${problemId}/history/verify`).set(as(role)), 'GET', '/problems/{id}/history/verify');
    }
    const pending = (await steps.get('supervisor', id)).body;
    expect(pending.pendingRequest).toEqual(expect.objectContaining({ kind: 'extension' }));
    expect(pending.suspensions).toHaveLength(1);
    const deadline = (await t.http().get(`/problems/${id}/deadline`).set(as('supervisor'))).body;
    expect(deadline.basis).toEqual(expect.objectContaining({ kind: 'policy' }));
    expect(deadline.counting.counted.length).toBeGreaterThan(0);
    expect(deadline.schedule.map((step: { kind: string }) => step.kind)).toEqual(expect.arrayContaining(['reminder', 'escalation']));

    for (const role of ['admin', 'inspector', 'supervisor', 'facilities', 'production'] as const) {
      expectDocumented(document, await steps.list(role), 'GET', '/problems');
      expectDocumented(document, await steps.list(role, { sort: 'deadline', limit: 1 }), 'GET', '/problems');
      expectDocumented(document, await t.http().get('/problems/counts').set(as(role)), 'GET', '/problems/counts');
    }
    expect((await steps.list('supervisor', { limit: 1 })).body.nextCursor).toEqual(expect.any(String));
  });

  it('describes sign-in, the session with a cookie and with a token, the password change and sign-out', async () => {
    // given a person an administrator made, with a password they must change
    const admin = as('admin');
    const created = await t.http().post('/admin/users').set(admin).send({ name: 'Li Na', role: 'department', departmentId: t.org.departments.facilities });
    expect(created.status).toBe(201);
    const { id, username } = created.body.user as { id: string; username: string };
    expect((await t.http().post(`/admin/users/${id}/password`).set(admin).send({ password: 'initial password 1' })).status).toBe(200);

    // when they sign in, look at the session, change the password and sign out
    const signedIn = await t.http().post('/auth/sign-in').send({ username, password: 'initial password 1' });
    expectDocumented(document, signedIn, 'POST', '/auth/sign-in');
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((line) => line.startsWith('rk_session='))!.split(';')[0];
    const session = { Cookie: cookie, 'X-CSRF-Token': signedIn.body.csrfToken as string };
    expectDocumented(document, await t.http().get('/auth/session').set(session), 'GET', '/auth/session');
    const changed = await t.http().post('/auth/password').set(session).send({ currentPassword: 'initial password 1', newPassword: PASSWORD });
    expectDocumented(document, changed, 'POST', '/auth/password');
    expectDocumented(document, await t.http().get('/me').set(session), 'GET', '/me');
    expect((await t.http().post('/auth/sign-out').set(session)).status).toBe(204);

    // then with an API token the session answer has no CSRF token and no end
    const byToken = await t.http().get('/auth/session').set(as('facilities'));
    expectDocumented(document, byToken, 'GET', '/auth/session');
    expect(byToken.body).toEqual(expect.objectContaining({ via: 'token', csrfToken: null, expiresAt: null }));
  });

  it('describes /me, my notices and the departments directory for every role', async () => {
    for (const role of ['admin', 'inspector', 'supervisor', 'facilities', 'production'] as const) {
      expectDocumented(document, await t.http().get('/me').set(as(role)), 'GET', '/me');
      expectDocumented(document, await t.http().get('/me/notices').set(as(role)), 'GET', '/me/notices');
      const directory = await t.http().get('/departments').set(as(role));
      expectDocumented(document, directory, 'GET', '/departments');
      expect(directory.body.items.length).toBeGreaterThan(0);
    }
  });
});
