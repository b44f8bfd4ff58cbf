import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { eventBody, expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/** What a database or driver error looks like when it leaks into a response. */
const LEAKED_INTERNALS =
  /QueryFailedError|SqliteError|SQLITE_|better-sqlite3|typeorm|syntax error|NOT NULL constraint|violates|duplicate key|relation "|column "|\bSELECT\b[^"]*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b[^"]*\bSET\b|Error: |\bat [A-Za-z.<>]+ \(/i;

describe('Hardening over HTTP', () => {
  describe('rate limiting (5 requests a minute per token)', () => {
    let t: TestApp;
    let steps: ProblemSteps;
    beforeAll(async () => {
      t = await createTestApp({ rateLimitPerMinute: 5 });
      steps = new ProblemSteps(t);
    });
    afterAll(async () => {
      await t.close();
    });

    const me = (token: string) => t.http().get('/me').auth(token, { type: 'bearer' });

    it('answers the 6th request of one token within a minute with 429 and Retry-After, leaves other tokens alone, and lets it in again after the minute', async () => {
      // given five requests, which use up the inspector's minute
      const remaining: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const response = await me(t.tokens.inspector);
        expect(response.status).toBe(200);
        expect(response.headers['ratelimit-limit']).toBe('5');
        remaining.push(response.headers['ratelimit-remaining']);
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);
      const problemsBefore = (await steps.list('admin', { limit: 200 })).body.items.length;

      // when, 30 s later, the inspector files a problem
      t.clock.advance(30_000);
      const sixth = await steps.file('inspector');
      const seventh = await me(t.tokens.inspector);

      // then it is refused, says when to come back, and nothing was filed
      expectApiError(sixth, 429, 'AUTH.RATE_LIMITED');
      expect(sixth.headers['retry-after']).toBe('30');
      expect(sixth.body.details).toEqual({ limit: 5, retryAfterSeconds: 30 });
      expectApiError(seventh, 429, 'AUTH.RATE_LIMITED');
      expect((await steps.list('admin', { limit: 200 })).body.items.length).toBe(problemsBefore);

      // and another token is unaffected
      const other = await me(t.tokens.supervisor);
      expect(other.status).toBe(200);
      expect(other.headers['ratelimit-remaining']).toBe('4');

      // when the clock moves on to 61 s after the first request
      t.clock.advance(31_000);
      const afterTheMinute = await steps.file('inspector');

      // then
      expect(afterTheMinute.status).toBe(201);
      expect(afterTheMinute.headers['ratelimit-remaining']).toBe('4');
    });

    it('throttles guessing tokens from one address (ten times the per-token limit), whatever tokens are tried', async () => {
      // given a client trying a different made-up token each time
      const responses: Response[] = [];

      // when it keeps trying (the address limit is 10 × 5 = 50 a minute, some already used by the tests above)
      for (let index = 0; index < 51; index += 1) {
        const response = await me(`rk_guess-${index}`);
        responses.push(response);
        if (response.status === 429) break;
      }

      // then every guess is refused as unauthenticated until the address is throttled
      const last = responses[responses.length - 1];
      expectApiError(last, 429, 'AUTH.RATE_LIMITED');
      for (const response of responses.slice(0, -1)) expectApiError(response, 401, 'AUTH.INVALID_TOKEN');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('headers, CORS, error bodies and revocation', () => {
    let t: TestApp;
    let steps: ProblemSteps;
    beforeAll(async () => {
      t = await createTestApp();
      steps = new ProblemSteps(t);
    });
    afterAll(async () => {
      await t.close();
    });

    /** Every problem there is, as the admin (who sees everything) counts them. */
    async function problemCount(): Promise<number> {
      const response = await steps.list('admin', { limit: 200 });
      expect(response.status).toBe(200);
      return response.body.items.length as number;
    }

    describe('security headers', () => {
      it('sends helmet\'s headers, with a Content-Security-Policy, on API responses, errors included', async () => {
        // when
        const responses = [
          await steps.list('inspector'),
          await t.http().get('/problems'),
          await t.http().get('/nowhere').auth(t.tokens.inspector, { type: 'bearer' }),
          await t.http().get('/health'),
        ];

        // then
        expect(responses.map((response) => response.status)).toEqual([200, 401, 404, 200]);
        for (const response of responses) {
          expect(response.headers['x-content-type-options']).toBe('nosniff');
          expect(response.headers['content-security-policy']).toContain("default-src 'self'");
          expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
          expect(response.headers['x-powered-by']).toBeUndefined();
        }
      });

      it('serves the docs page without a Content-Security-Policy (it needs its inline scripts), but with the other headers', async () => {
        // when
        const response = await t.http().get('/docs');

        // then
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/text\/html/);
        expect(response.headers['content-security-policy']).toBeUndefined();
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-powered-by']).toBeUndefined();
      });
    });

    describe('CORS', () => {
      it('is off by default: no Access-Control-Allow-Origin for a cross-origin request or preflight', async () => {
        // when
        const simple = await steps.list('inspector').set('Origin', 'https://evil.example');
        const preflight = await t
          .http()
          .options('/problems')
          .set('Origin', 'https://evil.example')
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization, content-type');

        // then
        expect(simple.status).toBe(200);
        expect(preflight.status).toBe(404);
        for (const response of [simple, preflight]) {
          expect(response.headers['access-control-allow-origin']).toBeUndefined();
          expect(response.headers['access-control-allow-credentials']).toBeUndefined();
          expect(response.headers['access-control-allow-methods']).toBeUndefined();
        }
      });
    });

    describe('error bodies', () => {
      it('never carry a stack trace or SQL, whatever the input', async () => {
        // given
        const admin = t.tokens.admin;
        const { id } = await steps.inStage('found');
        const before = await steps.footprint(id);
        const problemsBefore = await problemCount();
        const department = t.org.departments.facilities;
        const deepBody = `${'{"a":'.repeat(500)}1${'}'.repeat(500)}`;
        const long = 'x'.repeat(3000);

        // when
        const attempts: Array<[string, Response]> = [
          ['rename to null', await t.http().patch(`/admin/departments/${department}`).auth(admin, { type: 'bearer' }).send({ name: null })],
          ['name as an object', await t.http().post('/admin/departments').auth(admin, { type: 'bearer' }).send({ name: { $gt: '' } })],
          ['department id as an array', await t.http().post('/admin/users').auth(admin, { type: 'bearer' }).send({ name: 'x', role: 'department', departmentId: ['a'] })],
          ['filing deadline null', await steps.file('inspector', { deadline: null })],
          ['assignment deadline null', await steps.send('inspector', id, { type: 'ASSIGN', departmentId: department, deadline: null })],
          ['assignment to a user id', await steps.send('inspector', id, { ...eventBody(t, 'ASSIGN'), departmentId: t.org.users.facilities.actor.userId })],
          ['SQL as a problem id', await steps.get('inspector', encodeURIComponent("'; DROP TABLE problems; --"))],
          ['SQL as an event target', await steps.send('inspector', encodeURIComponent("1' OR '1'='1"), eventBody(t, 'CANCEL'))],
          ['long user id', await t.http().get(`/admin/users/${long}`).auth(admin, { type: 'bearer' })],
          ['long token id', await t.http().post(`/admin/tokens/${long}/revoke`).auth(admin, { type: 'bearer' })],
          ['huge expectedVersion', await steps.send('inspector', id, { ...eventBody(t, 'CANCEL'), expectedVersion: 1e300 })],
          ['negative limit', await steps.list('inspector', { limit: -1 })],
          ['deeply nested body', await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', 'application/json').send(deepBody)],
          ['invalid JSON', await t.http().post('/admin/departments').auth(admin, { type: 'bearer' }).set('Content-Type', 'application/json').send('{"name": }')],
          ['audit cursor', await t.http().get(`/admin/audit?cursor=${encodeURIComponent("' OR 1=1 --")}`).auth(admin, { type: 'bearer' })],
        ];

        // then each is a documented client error with nothing of the server's insides
        for (const [what, response] of attempts) {
          expect({ what, clientError: response.status >= 400 && response.status < 500 }).toEqual({ what, clientError: true });
          expectApiError(response, response.status, response.body.code);
          expect({ what, leaked: LEAKED_INTERNALS.exec(response.text)?.[0] ?? null }).toEqual({ what, leaked: null });
        }
        expect(Object.fromEntries(attempts.map(([what, response]) => [what, response.status]))).toEqual({
          'rename to null': 400,
          'name as an object': 400,
          'department id as an array': 400,
          'filing deadline null': 400,
          'assignment deadline null': 400,
          'assignment to a user id': 422,
          'SQL as a problem id': 404,
          'SQL as an event target': 404,
          'long user id': 404,
          'long token id': 404,
          'huge expectedVersion': 409,
          'negative limit': 400,
          'deeply nested body': 400,
          'invalid JSON': 400,
          'audit cursor': 400,
        });
        // and none of them changed anything
        expect(await steps.footprint(id)).toEqual(before);
        expect(await problemCount()).toBe(problemsBefore);
        const facilities = await t.http().get(`/admin/departments/${department}`).auth(admin, { type: 'bearer' });
        expect(facilities.body.name).toBe('Facilities Department (设施部)');
      });

      it('treats SQL in a search text as text', async () => {
        // given
        const { id } = await steps.inStage('found', { title: "Robert'); DROP TABLE problems;--" });

        // when
        const matching = await steps.list('inspector', { text: "'); DROP TABLE problems;--" });
        const always = await steps.list('inspector', { text: "' OR '1'='1" });

        // then
        expect(matching.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
        expect(always.body.items).toEqual([]);
        expect((await steps.get('inspector', id)).status).toBe(200);
      });
    });

    describe('revocation takes effect on the very next request', () => {
      async function newInspector() {
        const created = await t.http().post('/admin/users').auth(t.tokens.admin, { type: 'bearer' }).send({ name: 'Temporary Inspector', role: 'inspector' });
        expect(created.status).toBe(201);
        return { userId: created.body.user.id as string, tokenId: created.body.token.id as string, token: created.body.token.token as string };
      }
      // Under an inspection of their own: the demo inspector's is not theirs to file under.
      const fileWith = (token: string) =>
        t.http().post('/problems').auth(token, { type: 'bearer' }).send(aFiling({ title: 'Filed after revocation?', inspectionRef: `INSP-TEMP-${token.slice(-8)}` }));

      it('a revoked token: the request right after the revocation gets 401 and changes nothing', async () => {
        // given a token in use
        const { tokenId, token } = await newInspector();
        const filed = await fileWith(token);
        expect(filed.status).toBe(201);
        const before = await problemCount();

        // when
        const revoked = await t.http().post(`/admin/tokens/${tokenId}/revoke`).auth(t.tokens.admin, { type: 'bearer' });
        const next = await fileWith(token);
        const cancel = await t.http().post(`/problems/${filed.body.id}/events`).auth(token, { type: 'bearer' }).send(eventBody(t, 'CANCEL'));

        // then
        expect(revoked.status).toBe(200);
        expectApiError(next, 401, 'AUTH.INVALID_TOKEN');
        expectApiError(cancel, 401, 'AUTH.INVALID_TOKEN');
        expect(await problemCount()).toBe(before);
        expect((await steps.get('admin', filed.body.id)).body).toMatchObject({ state: 'found', version: 1 });
      });

      it('a deactivated user: the request right after the deactivation gets 401 and changes nothing', async () => {
        // given a user in the middle of their work
        const { userId, token } = await newInspector();
        const filed = await fileWith(token);
        expect(filed.status).toBe(201);
        const before = await problemCount();

        // when
        const deactivated = await t.http().post(`/admin/users/${userId}/deactivate`).auth(t.tokens.admin, { type: 'bearer' });
        const next = await t.http().post(`/problems/${filed.body.id}/events`).auth(token, { type: 'bearer' }).send(eventBody(t, 'CANCEL'));
        const filing = await fileWith(token);

        // then
        expect(deactivated.status).toBe(200);
        expectApiError(next, 401, 'AUTH.INVALID_TOKEN');
        expectApiError(filing, 401, 'AUTH.INVALID_TOKEN');
        expect(await problemCount()).toBe(before);
        expect((await steps.get('admin', filed.body.id)).body).toMatchObject({ state: 'found', version: 1 });
      });
    });
  });
});
