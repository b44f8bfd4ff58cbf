import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventBody, expectApiError, invalidFields, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Listing problems, health and API docs, over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  /** Ids in filing order, oldest first. */
  const filed: Record<string, string> = {};

  /**
   * Five problems, filed a minute apart (ids are time-ordered, and the fake clock does not move by itself):
   *
   *   exit      found                     major     INSP-A  "Fire Exit Blocked"
   *   percent   assigned to facilities    critical  INSP-A  "Humidity at 100% in store 2"
   *   rack      assigned to facilities    minor     INSP-B  location "Rack_7 aisle"
   *   belt      rectifying at production  critical  INSP-B  description mentions "conveyor"
   *   ladder    cancelled                 general   INSP-C  "ÖL on the floor" (non-ASCII capital)
   */
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    const filings: Array<[string, Record<string, unknown>]> = [
      ['exit', { title: 'Fire Exit Blocked', severity: 'major', inspectionRef: 'INSP-A' }],
      ['percent', { title: 'Humidity at 100% in store 2', severity: 'critical', inspectionRef: 'INSP-A', location: 'Store 2' }],
      ['rack', { title: 'Loose anchor bolts', severity: 'minor', inspectionRef: 'INSP-B', location: 'Rack_7 aisle' }],
      ['belt', { title: 'Guard missing', severity: 'critical', inspectionRef: 'INSP-B', description: 'The CONVEYOR belt guard is missing.', location: 'Line 1' }],
      ['ladder', { title: 'ÖL on the floor', severity: 'general', inspectionRef: 'INSP-C', description: 'Slippery floor.', location: 'Workshop' }],
    ];
    for (const [key, overrides] of filings) {
      t.clock.advance(60_000);
      const response = await steps.file('inspector', overrides);
      expect(response.status).toBe(201);
      filed[key] = response.body.id;
    }
    const assign = (id: string, departmentId: string) =>
      steps.send('inspector', id, { type: 'ASSIGN', departmentId, deadline: '2026-04-01T09:00:00.000Z' });
    for (const response of [
      await assign(filed.percent, t.org.departments.facilities),
      await assign(filed.rack, t.org.departments.facilities),
      await assign(filed.belt, t.org.departments.production),
      await steps.send('production', filed.belt, eventBody(t, 'START')),
      await steps.send('inspector', filed.ladder, eventBody(t, 'CANCEL')),
    ]) {
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  /** The keys (see the table above) of the problems a query lists, in the order listed. */
  async function listed(query: Record<string, string | number>): Promise<string[]> {
    const response = await steps.list('inspector', query);
    expect(response.status).toBe(200);
    const keyOf = new Map(Object.entries(filed).map(([key, id]) => [id, key]));
    return response.body.items.map((item: { id: string }) => keyOf.get(item.id) ?? item.id);
  }

  describe('filters', () => {
    it('lists everything newest first without filters', async () => {
      expect(await listed({})).toEqual(['ladder', 'belt', 'rack', 'percent', 'exit']);
    });

    it.each([
      [{ state: 'found' }, ['exit']],
      [{ state: 'assigned' }, ['rack', 'percent']],
      [{ state: 'rectifying' }, ['belt']],
      [{ state: 'cancelled' }, ['ladder']],
      [{ state: 'closed' }, []],
      [{ severity: 'critical' }, ['belt', 'percent']],
      [{ severity: 'minor' }, ['rack']],
      [{ inspection: 'INSP-A' }, ['percent', 'exit']],
      [{ inspection: 'INSP-B' }, ['belt', 'rack']],
      [{ inspection: 'INSP-Z' }, []],
      [{ severity: 'critical', inspection: 'INSP-A' }, ['percent']],
    ] as Array<[Record<string, string>, string[]]>)('%o lists %o', async (query, expected) => {
      expect(await listed(query)).toEqual(expected);
    });

    it('filters by responsible department, alone and with state', async () => {
      // when
      const facilities = await listed({ department: t.org.departments.facilities });
      const production = await listed({ department: t.org.departments.production });
      const office = await listed({ department: t.org.departments.office });
      const productionAssigned = await listed({ department: t.org.departments.production, state: 'assigned' });

      // then
      expect(facilities).toEqual(['rack', 'percent']);
      expect(production).toEqual(['belt']);
      expect(office).toEqual([]);
      expect(productionAssigned).toEqual([]);
    });

    it.each([
      ['exit blocked', ['exit']],
      ['EXIT BLOCKED', ['exit']],
      ['eXiT bLoCkEd', ['exit']],
      ['PALLETS', ['exit', 'percent', 'rack']],
      ['conveyor', ['belt']],
      ['rack_7', ['rack']],
      ['store 2', ['percent']],
      ['öl', ['ladder']],
      ['warehouse 3', ['exit', 'percent', 'rack']],
    ])('text %p matches title, description or location, ignoring case: %o', async (text, expected) => {
      expect((await listed({ text })).sort()).toEqual([...expected].sort());
    });

    it.each([
      ['%', ['percent']],
      ['100%', ['percent']],
      ['0% in', ['percent']],
      ['_', ['rack']],
      ['k_7', ['rack']],
      ['Rack_', ['rack']],
      ['ck_', ['rack']],
      ['%_%', []],
      ['Fire_Exit', []],
      ['Fire%Blocked', []],
      ['\\', []],
    ])('text %p treats %% and _ literally: %o', async (text, expected) => {
      expect((await listed({ text })).sort()).toEqual([...expected].sort());
    });
  });

  describe('read scope', () => {
    it('lists to a department user only the problems assigned to their own department', async () => {
      // when
      const byRole = async (role: 'facilities' | 'production' | 'supervisor') => {
        const response = await steps.list(role);
        expect(response.status).toBe(200);
        return response.body.items.map((item: { id: string }) => item.id);
      };

      // then
      expect(await byRole('facilities')).toEqual([filed.rack, filed.percent]);
      expect(await byRole('production')).toEqual([filed.belt]);
      expect(await byRole('supervisor')).toEqual([filed.ladder, filed.belt, filed.rack, filed.percent, filed.exit]);
    });

    it("gives a department user nothing of another department's problems, even when filtering for that department", async () => {
      // when
      const response = await steps.list('production', { department: t.org.departments.facilities });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('cursor pagination', () => {
    it('chains pages of 2 through nextCursor, newest first, without duplicates, ending with null', async () => {
      // given
      const pages: string[][] = [];
      const cursors: Array<string | null> = [];
      let cursor: string | null = null;

      // when
      do {
        const response = await steps.list('inspector', { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(response.status).toBe(200);
        pages.push(response.body.items.map((item: { id: string }) => item.id));
        cursor = response.body.nextCursor;
        cursors.push(cursor);
      } while (cursor !== null && pages.length < 10);

      // then
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(cursors).toEqual([pages[0][1], pages[1][1], null]);
      const all = pages.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual([filed.ladder, filed.belt, filed.rack, filed.percent, filed.exit]);
    });

    it('gives no next cursor when the page is exactly the rest', async () => {
      // when
      const everything = await steps.list('inspector', { limit: 5 });
      const lastTwo = await steps.list('inspector', { limit: 2, cursor: filed.rack });

      // then
      expect(everything.body).toMatchObject({ nextCursor: null });
      expect(everything.body.items).toHaveLength(5);
      expect(lastTwo.body.items.map((item: { id: string }) => item.id)).toEqual([filed.percent, filed.exit]);
      expect(lastTwo.body.nextCursor).toBeNull();
    });

    it('pages through a filtered list', async () => {
      // when
      const first = await steps.list('inspector', { severity: 'critical', limit: 1 });
      const second = await steps.list('inspector', { severity: 'critical', limit: 1, cursor: first.body.nextCursor });

      // then
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([filed.belt]);
      expect(first.body.nextCursor).toBe(filed.belt);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([filed.percent]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('shows each caller the events it may send on each listed problem', async () => {
      // when
      const response = await steps.list('facilities', { department: t.org.departments.facilities });

      // then
      expect(response.body.items.map((item: { allowedEvents: string[] }) => item.allowedEvents)).toEqual([
        ['START', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION'],
        ['START', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION'],
      ]);
    });
  });

  describe('invalid queries', () => {
    it.each([
      [{ limit: 0 }, ['limit']],
      [{ limit: 201 }, ['limit']],
      [{ limit: 'abc' }, ['limit']],
      [{ limit: '1.5' }, ['limit']],
      [{ limit: '' }, ['limit']],
      [{ state: 'bogus' }, ['state']],
      [{ state: 'rectifying.inProgress' }, ['state']],
      [{ severity: 'huge' }, ['severity']],
      [{ department: 'facilities' }, ['department']],
      [{ cursor: 'not-a-uuid' }, ['cursor']],
      [{ text: 'x'.repeat(201) }, ['text']],
      [{ sort: 'title' }, ['sort']],
      [{ state: 'bogus', limit: 0, colour: 'red' }, ['colour', 'limit', 'state']],
    ] as Array<[Record<string, string | number>, string[]]>)('%o → 400 naming %o', async (query, fields) => {
      // when
      const response = await steps.list('inspector', query);

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(fields);
    });

    it.each(['state=found&state=assigned', 'constructor=1', '__proto__=1', 'prototype=1', 'text=a%00b', 'inspection=%00'])('?%s → 400', async (query) => {
      // when
      const response = await t.http().get(`/problems?${query}`).auth(t.tokens.inspector, { type: 'bearer' });

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual([query.split('=')[0]]);
    });
  });

  describe('public endpoints', () => {
    it('answers GET /health with 200 without a token', async () => {
      // when
      const response = await t.http().get('/health');

      // then
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: t.database.kind,
        calendar: expect.objectContaining({ id: 'cn-mainland', coverageWarning: null }),
      });
    });

    it('serves the OpenAPI document at /docs-json, describing the events endpoint', async () => {
      // when
      const response = await t.http().get('/docs-json');

      // then
      expect(response.status).toBe(200);
      expect(response.body.openapi).toMatch(/^3\./);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/problems', '/problems/{id}', '/problems/{id}/events', '/problems/{id}/history', '/health']),
      );
      expect(response.body.paths['/problems/{id}/events'].post).toBeDefined();
      expect(Object.keys(response.body.components.schemas)).toEqual(expect.arrayContaining(['AssignEventDto', 'ReportProgressEventDto']));
    });
  });
});
