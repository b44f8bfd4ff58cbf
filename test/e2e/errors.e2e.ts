import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectApiError, invalidFields, ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, TEST_BODY_LIMIT_KB, type TestApp } from '../support/test-app.js';

describe('Errors over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const FILING_FIELDS = ['category', 'description', 'inspectionRef', 'location', 'requirement', 'severity', 'title'];

  /** Runs a request that must be refused and checks that the problem it aimed at did not change. */
  async function refusedWithoutChange(id: string, request: () => Promise<Response>) {
    const before = await steps.footprint(id);
    const response = await request();
    expect(await steps.footprint(id)).toEqual(before);
    return response;
  }

  /** Runs a filing that must be refused and checks that no problem was created. */
  async function filingRefused(request: () => Promise<Response>) {
    const before = await steps.problemCount();
    const response = await request();
    expect(await steps.problemCount()).toBe(before);
    return response;
  }

  describe('filing validation', () => {
    it('lists every missing field of an empty filing', async () => {
      // when
      const response = await filingRefused(() => t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send({}));

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(FILING_FIELDS);
    });

    it('lists exactly the fields that are wrong, each once', async () => {
      // given a number title, an unknown severity, an empty location, an over-long category and a non-date deadline
      const body = aFiling({ title: 42, severity: 'catastrophic', location: '', deadline: 'next tuesday', category: 'x'.repeat(101) });

      // when
      const response = await filingRefused(() => steps.file('inspector', body));

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['category', 'deadline', 'location', 'severity', 'title']);
      expect(response.body.message).toContain('severity');
    });

    it('refuses a field the filing does not know, naming it', async () => {
      // when
      const response = await filingRefused(() => steps.file('inspector', { priority: 'high' }));

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['priority']);
    });

    it('refuses a body that is not one JSON object', async () => {
      for (const [contentType, raw, code] of [
        ['application/json', '[]', 'VALIDATION_FAILED'],
        ['application/json', '[{"title":"x"}]', 'VALIDATION_FAILED'],
        ['application/json', '"a filing"', 'MALFORMED_JSON'],
        ['application/json', 'null', 'MALFORMED_JSON'],
        ['text/plain', JSON.stringify(aFiling()), 'VALIDATION_FAILED'],
      ] as const) {
        // when
        const response = await filingRefused(() =>
          t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', contentType).send(raw),
        );

        // then
        expect({ raw, contentType, status: response.status, code: response.body.code }).toEqual({ raw, contentType, status: 400, code });
        expectApiError(response, 400, code);
      }
    });

    it('refuses a deadline that has already passed, including one given with a time-zone offset', async () => {
      // the fake clock is at 2026-03-02T01:00Z; 08:30+08:00 is 00:30Z, half an hour ago
      for (const deadline of ['2026-03-01T09:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-02T08:30:00+08:00']) {
        // when
        const response = await filingRefused(() => steps.file('inspector', { deadline }));

        // then
        expectApiError(response, 422, 'PROBLEM.DEADLINE_IN_PAST');
        expect(response.body.details).toEqual({ field: 'deadline' });
      }
    });

    it('refuses ISO 8601 forms that are not an instant (week and ordinal dates, no time zone) as a deadline', async () => {
      // given a problem to assign
      const { id } = await steps.inStage('found');

      for (const deadline of ['2026-W20', '2026-W20-3', '2026-150', '2026-05-01T24:00:00Z', '2026-05-01T09:00:00', '2026-05-01']) {
        // when
        const filing = await filingRefused(() => steps.file('inspector', { deadline }));
        const assignment = await refusedWithoutChange(id, () =>
          steps.send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline }),
        );

        // then
        for (const response of [filing, assignment]) {
          expectApiError(response, 400, 'VALIDATION_FAILED');
          expect({ deadline, fields: invalidFields(response) }).toEqual({ deadline, fields: ['deadline'] });
        }
      }
    });

    it('refuses text holding the NUL character, naming the field', async () => {
      // when
      const response = await filingRefused(() => steps.file('inspector', { title: 'Exit\u0000blocked' }));

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['title']);
    });

    it('refuses text holding a lone surrogate (JSON escapes \\ud800 or \\udc00 alone), naming the field, instead of storing U+FFFD', async () => {
      for (const [overrides, field] of [
        [{ title: 'Exit \ud800 blocked' }, 'title'],
        [{ description: 'Pallets \udc00' }, 'description'],
        [{ location: 'Warehouse \udbff' }, 'location'],
      ] as const) {
        // when (supertest writes the lone surrogate as a JSON \u escape, as JSON.stringify does)
        const response = await filingRefused(() => steps.file('inspector', overrides));

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ field, fields: invalidFields(response) }).toEqual({ field, fields: [field] });
      }
      // a well-formed pair is one character and is accepted as it is
      const emoji = await steps.file('inspector', { title: 'Exit blocked \ud83d\udea7' });
      expect(emoji.status).toBe(201);
      expect((await steps.get('inspector', emoji.body.id)).body.title).toBe('Exit blocked 🚧');
    });

    it('refuses a body that is not valid UTF-8 instead of storing U+FFFD for its bytes', async () => {
      // given the UTF-8-looking encoding of U+D800 (CESU-8), which is not UTF-8
      const body = Buffer.from(JSON.stringify(aFiling({ title: 'Exit @ blocked' })), 'utf8');
      const at = body.indexOf('@');
      const invalid = Buffer.concat([body.subarray(0, at), Buffer.from([0xed, 0xa0, 0x80]), body.subarray(at + 1)]);

      // when
      const response = await filingRefused(() =>
        t
          .http()
          .post('/problems')
          .auth(t.tokens.inspector, { type: 'bearer' })
          .set('Content-Type', 'application/json')
          // the bytes as they are (superagent would write a Buffer as JSON)
          .serialize((bytes) => bytes)
          .send(invalid),
      );

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['body']);
    });
  });

  describe('event validation', () => {
    it('refuses an event whose type is unknown or missing, listing `type`', async () => {
      // given
      const { id } = await steps.inStage('found');

      for (const body of [{ type: 'ESCALATE' }, { type: 'assign' }, { departmentId: t.org.departments.facilities }, { type: 7 }]) {
        // when
        const response = await refusedWithoutChange(id, () => steps.send('inspector', id, body));

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect(invalidFields(response)).toEqual(['type']);
      }
    });

    it('validates START against its own payload rules', async () => {
      // given
      const { id } = await steps.inStage('assigned');

      // when START comes without measures and with a non-date planned completion
      const response = await refusedWithoutChange(id, () =>
        steps.send('facilities', id, { type: 'START', responsiblePerson: 'Wang Fang', plannedCompletionDate: 'soon' }),
      );

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['measures', 'plannedCompletionDate']);
    });

    it('validates REPORT_PROGRESS: percent above 100, fractional, or text; empty note', async () => {
      // given
      const { id } = await steps.inStage('rectifying.inProgress');

      for (const [body, fields] of [
        [{ type: 'REPORT_PROGRESS', note: 'done', percent: 150 }, ['percent']],
        [{ type: 'REPORT_PROGRESS', note: 'done', percent: -1 }, ['percent']],
        [{ type: 'REPORT_PROGRESS', note: 'done', percent: 12.5 }, ['percent']],
        [{ type: 'REPORT_PROGRESS', note: 'done', percent: '50' }, ['percent']],
        [{ type: 'REPORT_PROGRESS', note: '', percent: 150 }, ['note', 'percent']],
        [{ type: 'REPORT_PROGRESS' }, ['note']],
      ] as const) {
        // when
        const response = await refusedWithoutChange(id, () => steps.send('facilities', id, body));

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ body, fields: invalidFields(response) }).toEqual({ body, fields: [...fields].sort() });
      }
    });

    it('refuses event text holding the NUL character, naming the field', async () => {
      // given
      const { id } = await steps.inStage('assigned');

      // when
      const response = await refusedWithoutChange(id, () =>
        steps.send('facilities', id, { type: 'START', measures: 'Move pallets', responsiblePerson: 'Wang\u0000Fang', plannedCompletionDate: '2026-03-10' }),
      );

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['responsiblePerson']);
    });

    it('refuses event text holding a lone surrogate, naming the field, nested ones by their path', async () => {
      // given
      const { id } = await steps.inStage('assigned');

      // when
      const response = await refusedWithoutChange(id, () =>
        steps.send('facilities', id, { type: 'START', measures: 'Move pallets', responsiblePerson: 'Wang \udfff', plannedCompletionDate: '2026-03-10' }),
      );

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['responsiblePerson']);
    });

    it('refuses a field that belongs to another event type, naming it', async () => {
      // given
      const { id } = await steps.inStage('rectifying.inProgress');

      // when SUBMIT carries REPORT_PROGRESS's `percent`
      const response = await refusedWithoutChange(id, () => steps.send('facilities', id, { type: 'SUBMIT', summary: 'Done', percent: 100 }));

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['percent']);
    });

    it('refuses an expectedVersion that is not a positive integer', async () => {
      // given
      const { id } = await steps.inStage('found');

      for (const expectedVersion of [0, -1, 1.5, '1']) {
        // when
        const response = await refusedWithoutChange(id, () =>
          steps.send('inspector', id, { type: 'CANCEL', reason: 'Duplicate', expectedVersion }),
        );

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect(invalidFields(response)).toEqual(['expectedVersion']);
      }
    });

    it('refuses If-Match that disagrees with expectedVersion, or that is not a version', async () => {
      // given
      const { id, version } = await steps.inStage('found');

      // when the two ways of saying the version disagree
      const disagreeing = await refusedWithoutChange(id, () =>
        steps.send('inspector', id, { type: 'CANCEL', reason: 'Duplicate', expectedVersion: version }, { 'If-Match': `"${version + 1}"` }),
      );

      // then
      expectApiError(disagreeing, 400, 'VALIDATION_FAILED');
      expect(invalidFields(disagreeing)).toEqual(['expectedVersion']);

      for (const ifMatch of ['"abc"', '"0"', '*', '1, 2']) {
        // when
        const response = await refusedWithoutChange(id, () =>
          steps.send('inspector', id, { type: 'CANCEL', reason: 'Duplicate' }, { 'If-Match': ifMatch }),
        );

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect(invalidFields(response)).toEqual(['If-Match']);
      }
    });
  });

  describe('bodies the parser refuses', () => {
    it('answers malformed JSON with MALFORMED_JSON, on filing and on events', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const filing = await filingRefused(() =>
        t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', 'application/json').send('{"title": "x",'),
      );
      const event = await refusedWithoutChange(id, () =>
        t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', 'application/json').send("{'type': 'CANCEL'}"),
      );

      // then
      expectApiError(filing, 400, 'MALFORMED_JSON');
      expectApiError(event, 400, 'MALFORMED_JSON');
    });

    it(`answers a body over ${TEST_BODY_LIMIT_KB} KB with 413 PAYLOAD_TOO_LARGE`, async () => {
      // given a filing and an event each a little over the limit
      const { id } = await steps.inStage('rectifying.inProgress');
      const huge = 'x'.repeat(TEST_BODY_LIMIT_KB * 1024 + 1);

      // when
      const filing = await filingRefused(() => steps.file('inspector', { description: huge }));
      const event = await refusedWithoutChange(id, () => steps.send('facilities', id, { type: 'REPORT_PROGRESS', note: huge }));

      // then
      expectApiError(filing, 413, 'PAYLOAD_TOO_LARGE');
      expectApiError(event, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('refuses a body with a "__proto__" key, at the top level or nested', async () => {
      // given
      const { id } = await steps.inStage('found');
      const filing = JSON.stringify(aFiling()).replace(/^\{/, '{"__proto__": {"isAdmin": true},');
      const event = '{"type": "CANCEL", "reason": "x", "details": {"__proto__": {"polluted": true}}}';

      // when
      const filed = await filingRefused(() =>
        t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', 'application/json').send(filing),
      );
      const sent = await refusedWithoutChange(id, () =>
        t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' }).set('Content-Type', 'application/json').send(event),
      );

      // then
      // refused by the JSON parser itself, before anything could copy the key onto an object
      expectApiError(filed, 400, 'VALIDATION_FAILED');
      expectApiError(sent, 400, 'VALIDATION_FAILED');
      expect(invalidFields(filed)).toEqual(['__proto__']);
      expect(invalidFields(sent)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });

  describe('unknown things', () => {
    it('answers an unknown problem id, uuid or not, with 404 PROBLEM.NOT_FOUND on GET, history and events', async () => {
      for (const id of [randomUUID(), 'not-a-uuid', '12345', 'ffffffff-ffff-7fff-bfff-ffffffffffff']) {
        // when
        const responses = [
          await steps.get('inspector', id),
          await steps.history('inspector', id),
          await steps.send('inspector', id, { type: 'CANCEL', reason: 'Duplicate' }),
        ];

        // then
        for (const response of responses) expectApiError(response, 404, 'PROBLEM.NOT_FOUND');
      }
    });

    it("answers a problem outside the caller's scope exactly like an unknown one", async () => {
      // given a problem assigned to facilities, which production never had, and an id that does not exist
      const { id } = await steps.inStage('assigned');
      const before = await steps.footprint(id);
      const unknown = randomUUID();

      // when production reads it, its history, and sends it an event
      const start = { type: 'START', measures: 'Move pallets', responsiblePerson: 'Chen Jie', plannedCompletionDate: '2026-03-10' };
      const attempts = async (target: string) => [
        await steps.get('production', target),
        await steps.history('production', target),
        await steps.send('production', target, start),
      ];
      const hidden = await attempts(id);
      const missing = await attempts(unknown);

      // then the answers differ only in the id they name
      const shape = (response: Response, named: string) => ({
        status: response.status,
        code: response.body.code,
        message: (response.body.message as string).replace(named, '<id>'),
        details: response.body.details,
      });
      for (const [index, response] of hidden.entries()) {
        expectApiError(response, 404, 'PROBLEM.NOT_FOUND');
        expect(shape(response, id)).toEqual(shape(missing[index], unknown));
      }
      expect(await steps.footprint(id)).toEqual(before);
    });

    it('answers an unknown route with 404 ROUTE.NOT_FOUND', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const responses = [
        await t.http().get('/nowhere').auth(t.tokens.inspector, { type: 'bearer' }),
        await t.http().delete(`/problems/${id}`).auth(t.tokens.inspector, { type: 'bearer' }),
        await t.http().post(`/problems/${id}/comments`).auth(t.tokens.inspector, { type: 'bearer' }).send({}),
      ];

      // then
      for (const response of responses) expectApiError(response, 404, 'ROUTE.NOT_FOUND');
      expect(await steps.footprint(id)).toMatchObject({ version: 1, historyLength: 1 });
    });
  });

  describe('authentication', () => {
    it('answers a request without a token with 401 AUTH.MISSING_TOKEN', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const responses = [
        await t.http().get('/problems'),
        await t.http().get(`/problems/${id}`),
        await filingRefused(() => t.http().post('/problems').send(aFiling())),
        await refusedWithoutChange(id, () => t.http().post(`/problems/${id}/events`).send({ type: 'CANCEL', reason: 'x' })),
        await t.http().get('/problems').set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`),
        await t.http().get('/problems').set('Authorization', 'Bearer'),
      ];

      // then
      for (const response of responses) expectApiError(response, 401, 'AUTH.MISSING_TOKEN');
    });

    it('answers an unknown token with 401 AUTH.INVALID_TOKEN', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const responses = [
        await t.http().get('/problems').auth('not-a-real-token', { type: 'bearer' }),
        await refusedWithoutChange(id, () =>
          t.http().post(`/problems/${id}/events`).auth(`${t.tokens.admin}x`, { type: 'bearer' }).send({ type: 'CANCEL', reason: 'x' }),
        ),
      ];

      // then
      for (const response of responses) expectApiError(response, 401, 'AUTH.INVALID_TOKEN');
    });
  });

  describe('business rules', () => {
    it('refuses ASSIGN to a department that does not exist with 422 DEPARTMENT.UNKNOWN', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const response = await refusedWithoutChange(id, () =>
        steps.send('inspector', id, { type: 'ASSIGN', departmentId: randomUUID(), deadline: '2026-03-20T09:00:00.000Z' }),
      );

      // then
      expectApiError(response, 422, 'DEPARTMENT.UNKNOWN');
      expect(response.body.details).toEqual({ field: 'departmentId' });
    });

    it('accepts ASSIGN without a deadline when the filing gave one', async () => {
      // given
      const { id } = await steps.inStage('found', { deadline: '2026-04-01T09:00:00.000Z' });

      // when
      const response = await steps.send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ state: 'assigned', deadline: '2026-04-01T09:00:00.000Z', version: 2 });
    });

    it('refuses ASSIGN with a deadline that has passed with 422 PROBLEM.DEADLINE_IN_PAST', async () => {
      // given
      const { id } = await steps.inStage('found');

      for (const deadline of ['2026-03-02T00:59:59.999Z', '2026-03-02T01:00:00.000Z', '2026-03-02T08:30:00+08:00', '2025-12-31T23:00:00Z']) {
        // when
        const response = await refusedWithoutChange(id, () =>
          steps.send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline }),
        );

        // then
        expectApiError(response, 422, 'PROBLEM.DEADLINE_IN_PAST');
        expect(response.body.details).toEqual({ field: 'deadline' });
      }
    });

    it('refuses REASSIGN to the department already responsible with 422 PROBLEM.SAME_DEPARTMENT', async () => {
      // given a problem assigned to facilities
      const { id } = await steps.inStage('assigned');

      // when
      const response = await refusedWithoutChange(id, () =>
        steps.send('inspector', id, { type: 'REASSIGN', departmentId: t.org.departments.facilities, reason: 'Again' }),
      );

      // then
      expectApiError(response, 422, 'PROBLEM.SAME_DEPARTMENT');
    });
  });

  describe('correlation ids', () => {
    it('echoes a sane x-correlation-id and replaces one that is not', async () => {
      // when
      const echoed = await t.http().get('/problems/not-a-uuid').auth(t.tokens.inspector, { type: 'bearer' }).set('x-correlation-id', 'trace-42.a_b');
      const replaced = await t.http().get('/problems/not-a-uuid').auth(t.tokens.inspector, { type: 'bearer' }).set('x-correlation-id', 'has spaces & <html>');

      // then
      expectApiError(echoed, 404, 'PROBLEM.NOT_FOUND');
      expect(echoed.body.correlationId).toBe('trace-42.a_b');
      expectApiError(replaced, 404, 'PROBLEM.NOT_FOUND');
      expect(replaced.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('gives a successful response a correlation id too', async () => {
      // when
      const response = await steps.list('inspector');

      // then
      expect(response.status).toBe(200);
      expect(response.headers['x-correlation-id']).toEqual(expect.any(String));
    });
  });
});
