import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { expectApiError, invalidFields, ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/*
 * Requests that the input fuzzing (test/reliability/input-fuzzing.rel.ts) found answered with a 500 or with an
 * error body other than the documented one, each pinned here.
 */
describe('Input found by fuzzing', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const fileRaw = (headers: Record<string, string>, body: string | Buffer) =>
    t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).set(headers).send(body);

  /** Runs a filing that must be refused and checks that no problem was created. */
  async function filingRefused(request: () => Promise<Response>): Promise<Response> {
    const before = await steps.problemCount();
    const response = await request();
    expect(await steps.problemCount()).toBe(before);
    return response;
  }

  describe('a body whose Content-Encoding does not match it (was 500 INTERNAL)', () => {
    it.each([['gzip'], ['deflate'], ['br']])('%s: 400 MALFORMED_JSON, nothing filed', async (encoding) => {
      const response = await filingRefused(() => fileRaw({ 'Content-Type': 'application/json', 'Content-Encoding': encoding }, JSON.stringify(aFiling())));
      expectApiError(response, 400, 'MALFORMED_JSON');
    });

    it('a body that really is gzipped is still read', async () => {
      const response = await t
        .http()
        .post('/problems')
        .auth(t.tokens.inspector, { type: 'bearer' })
        .set({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })
        // as bytes: superagent would write a Buffer out as JSON
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(gzipSync(JSON.stringify(aFiling({ title: 'Sent gzipped' }))));
      expect({ status: response.status, body: response.body }).toEqual({ status: 201, body: expect.objectContaining({ title: 'Sent gzipped' }) });
    });
  });

  describe('a body nested thousands of levels deep (was 500 INTERNAL: the stack overflowed copying it for validation)', () => {
    it.each([
      ['arrays', (depth: number) => '['.repeat(depth) + ']'.repeat(depth)],
      ['objects', (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)],
    ])('%s: 400 VALIDATION_FAILED naming the field, nothing filed', async (_shape, nest) => {
      for (const depth of [33, 1_000, 3_000, 6_000]) {
        // when
        const response = await filingRefused(() => fileRaw({ 'Content-Type': 'application/json' }, `{"title":${nest(depth)}}`));

        // then
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect({ depth, fields: response.body.details.fields }).toEqual({
          depth,
          fields: [{ field: 'title', messages: ['the body must not nest deeper than 32 levels'] }],
        });
      }
    });

    it('the same on an event, and a body nested to the limit is validated as usual', async () => {
      const { id, version } = await steps.inStage('found');
      const deep = await steps.sendOnly('inspector', id, JSON.parse(`{"type":"CANCEL","reason":${'['.repeat(2_000)}${']'.repeat(2_000)}}`));
      expectApiError(deep, 400, 'VALIDATION_FAILED');
      expect(invalidFields(deep)).toEqual(['reason']);
      // 32 levels in all (the body itself is the first): the usual answer, "reason must be a string"
      const atLimit = await steps.sendOnly('inspector', id, JSON.parse(`{"type":"CANCEL","reason":${'['.repeat(31)}${']'.repeat(31)}}`));
      expectApiError(atLimit, 400, 'VALIDATION_FAILED');
      expect(atLimit.body.details.fields[0].messages).toContain('reason must be a string');
      expect(await steps.footprint(id)).toMatchObject({ version, stateDetail: 'found' });
    });
  });

  describe('VALIDATION_FAILED raised by the framework lists details.fields (it had none)', () => {
    it('a path parameter that is not percent-encoded UTF-8 names the path', async () => {
      for (const id of ['%FF', '%E0%A4%A', '%ED%A0%80']) {
        const response = await t.http().get(`/problems/${id}/history`).auth(t.tokens.admin, { type: 'bearer' });
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect(invalidFields(response)).toEqual(['path']);
      }
    });

    it('a multipart body busboy cannot parse names the body; a file under another name names that field', async () => {
      const { id } = await steps.inStage('found');
      const upload = () => t.http().post(`/problems/${id}/evidence`).auth(t.tokens.inspector, { type: 'bearer' });

      const malformed = await upload().set('Content-Type', 'multipart/form-data; boundary=x').send('--x\r\nGarbage\r\n\r\nhi\r\n--x--\r\n');
      expectApiError(malformed, 400, 'VALIDATION_FAILED');
      expect(invalidFields(malformed)).toEqual(['body']);

      const noBoundary = await upload().set('Content-Type', 'multipart/form-data').send('--x\r\n\r\n--x--\r\n');
      expectApiError(noBoundary, 400, 'VALIDATION_FAILED');
      expect(invalidFields(noBoundary)).toEqual(['body']);

      const wrongField = await upload().field('kind', 'finding').attach('photo', Buffer.from('Photo note.\n'), { filename: 'note.txt', contentType: 'text/plain' });
      expectApiError(wrongField, 400, 'VALIDATION_FAILED');
      expect(invalidFields(wrongField)).toEqual(['photo']);

      const list = await t.http().get(`/problems/${id}/evidence`).auth(t.tokens.inspector, { type: 'bearer' });
      expect(list.body.items).toEqual([]);
    });

    it('an .ics file the calendar cannot read names the field ics, and no calendar version is stored', async () => {
      const before = await t.http().get('/admin/calendar').auth(t.tokens.admin, { type: 'bearer' });
      for (const ics of ['not a calendar', '\ud800garbage', 'BEGIN:VEVENT\r\nEND:VEVENT']) {
        const response = await t.http().post('/admin/calendar/import').auth(t.tokens.admin, { type: 'bearer' }).send({ ics });
        expectApiError(response, 400, 'VALIDATION_FAILED');
        expect(invalidFields(response)).toEqual(['ics']);
        // a lone surrogate is refused before the calendar reads the file (every JSON string is checked)
        if (ics.startsWith('\ud800')) expect(response.body.details.fields[0].messages[0]).toMatch(/surrogate/);
        else expect(response.body.details.calendarError).toBe('CALENDAR.INVALID');
      }
      const after = await t.http().get('/admin/calendar').auth(t.tokens.admin, { type: 'bearer' });
      expect(after.body.version).toBe(before.body.version);
    });
  });
});
