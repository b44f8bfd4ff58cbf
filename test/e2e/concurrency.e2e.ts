import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { eventBody, expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Transitions and versions under contention, over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    // Listen once on a real port: otherwise supertest starts and stops the server around every request,
    // and fifty requests in flight would race those starts and stops.
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await t.close();
  });

  const CONCURRENT = 50;

  async function historyVersions(id: string): Promise<number[]> {
    const history = await steps.history('supervisor', id);
    expect(history.status).toBe(200);
    return history.body.items.map((row: { version: number }) => row.version);
  }

  const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

  describe('invalid transitions', () => {
    it('answers APPROVE on a found problem with 409 PROBLEM.INVALID_TRANSITION, naming what is accepted', async () => {
      // given
      const { id } = await steps.inStage('found');
      const before = await steps.footprint(id);

      // when
      const response = await steps.send('inspector', id, eventBody(t, 'APPROVE'));

      // then
      expectApiError(response, 409, 'PROBLEM.INVALID_TRANSITION');
      expect(response.body.details).toEqual({
        event: 'APPROVE',
        state: 'found',
        acceptedEvents: ['ASSIGN', 'CANCEL'],
        allowedEvents: ['ASSIGN', 'CANCEL'],
      });
      expect(await steps.footprint(id)).toEqual(before);
    });

    it('lists in allowedEvents only what this caller may send, in acceptedEvents what anyone may', async () => {
      // given a problem awaiting verification
      const { id } = await steps.inStage('rectifying.awaitingVerification');
      const before = await steps.footprint(id);

      // when the supervisor tries to close it before it is verified
      const response = await steps.send('supervisor', id, eventBody(t, 'CLOSE'));

      // then
      expectApiError(response, 409, 'PROBLEM.INVALID_TRANSITION');
      expect(response.body.details).toEqual({
        event: 'CLOSE',
        state: 'rectifying.awaitingVerification',
        acceptedEvents: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
        allowedEvents: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
      });
      expect(await steps.footprint(id)).toEqual(before);
    });

    it('accepts no event on a cancelled problem', async () => {
      // given
      const { id } = await steps.inStage('cancelled');

      // when
      const response = await steps.send('supervisor', id, eventBody(t, 'REOPEN'));

      // then
      expectApiError(response, 409, 'PROBLEM.INVALID_TRANSITION');
      expect(response.body.details).toMatchObject({ state: 'cancelled', acceptedEvents: [], allowedEvents: [] });
    });
  });

  describe('optimistic concurrency', () => {
    it('answers a stale expectedVersion with 409 PROBLEM.VERSION_CONFLICT and changes nothing', async () => {
      // given a problem at version 2, after someone else assigned it
      const { id, version } = await steps.inStage('assigned');
      const before = await steps.footprint(id);

      // when a caller who last saw version 1 sends an event
      const response = await steps.send('inspector', id, { ...eventBody(t, 'CANCEL'), expectedVersion: version - 1 });

      // then
      expectApiError(response, 409, 'PROBLEM.VERSION_CONFLICT');
      expect(response.body.details).toEqual({ expectedVersion: version - 1, currentVersion: version });
      expect(await steps.footprint(id)).toEqual(before);
    });

    it('answers a version from the future the same way', async () => {
      // given
      const { id, version } = await steps.inStage('found');
      const before = await steps.footprint(id);

      // when
      const response = await steps.send('inspector', id, { ...eventBody(t, 'CANCEL'), expectedVersion: version + 1 });

      // then
      expectApiError(response, 409, 'PROBLEM.VERSION_CONFLICT');
      expect(await steps.footprint(id)).toEqual(before);
    });

    it('honours If-Match: a stale one gets 409 and changes nothing, the current one is applied', async () => {
      // given
      const { id, version } = await steps.inStage('assigned');
      const before = await steps.footprint(id);

      // when
      const stale = await steps.send('inspector', id, eventBody(t, 'CANCEL'), { 'If-Match': `"${version - 1}"` });
      const staleWeak = await steps.send('inspector', id, eventBody(t, 'CANCEL'), { 'If-Match': `W/"${version - 1}"` });

      // then
      expectApiError(stale, 409, 'PROBLEM.VERSION_CONFLICT');
      expectApiError(staleWeak, 409, 'PROBLEM.VERSION_CONFLICT');
      expect(await steps.footprint(id)).toEqual(before);

      // when
      const current = await steps.send('inspector', id, eventBody(t, 'CANCEL'), { 'If-Match': `"${version}"` });

      // then
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ state: 'cancelled', version: version + 1 });
    });

    it('accepts If-Match together with an agreeing expectedVersion', async () => {
      // given
      const { id, version } = await steps.inStage('found');

      // when
      const response = await steps.send('inspector', id, { ...eventBody(t, 'CANCEL'), expectedVersion: version }, { 'If-Match': String(version) });

      // then
      expect(response.status).toBe(200);
      expect(response.body.version).toBe(version + 1);
    });
  });

  describe(`${CONCURRENT} concurrent REPORT_PROGRESS on one problem`, () => {
    let id: string;
    beforeAll(async () => {
      ({ id } = await steps.inStage('rectifying.inProgress'));
    });

    it('with the same expectedVersion: exactly one is applied, every other gets 409, history has no gap', async () => {
      // given
      const { version } = await steps.footprint(id);

      // when
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) =>
          steps.send('facilities', id, { type: 'REPORT_PROGRESS', note: `Report ${index}`, percent: index, expectedVersion: version }),
        ),
      );

      // then
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(CONCURRENT - 1);
      for (const response of responses.filter((r) => r.status === 409)) {
        expectApiError(response, 409, 'PROBLEM.VERSION_CONFLICT');
      }
      const winner = responses.find((response) => response.status === 200)!;
      expect(winner.body.version).toBe(version + 1);

      const problem = await steps.get('supervisor', id);
      expect(problem.body.version).toBe(version + 1);
      expect(problem.body.latestProgress).toEqual(winner.body.latestProgress);
      expect(await historyVersions(id)).toEqual(oneToN(version + 1));
    });

    it('without expectedVersion: each is applied or gets 409, at least one is applied, history stays contiguous', async () => {
      // given
      const { version } = await steps.footprint(id);

      // when
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) =>
          steps.send('facilities', id, { type: 'REPORT_PROGRESS', note: `Unversioned report ${index}` }),
        ),
      );

      // then
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
      const applied = responses.filter((response) => response.status === 200);
      expect(applied.length).toBeGreaterThanOrEqual(1);
      for (const response of responses.filter((r) => r.status === 409)) {
        expectApiError(response, 409, 'PROBLEM.VERSION_CONFLICT');
      }
      // each applied event produced its own version, once
      const appliedVersions = applied.map((response) => response.body.version as number).sort((a, b) => a - b);
      expect(appliedVersions).toEqual(Array.from({ length: applied.length }, (_, index) => version + 1 + index));

      const problem = await steps.get('supervisor', id);
      expect(problem.body.version).toBe(version + applied.length);
      const versions = await historyVersions(id);
      expect(versions).toEqual(oneToN(problem.body.version));
    });
  });
});
