import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectApiError, invalidFields, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every instant and date the API takes besides deadlines (which have their own horizon, see deadlines.e2e.ts) lies
 * in years 2000–2100: a year such as 9999 or 0000 is refused as invalid input, never answered with a 500 or stored.
 */
describe('Instants and dates outside years 2000–2100 over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const EXTREME_DATES = ['9999-12-31', '0000-01-01', '1999-12-31', '2101-01-01'];
  const EXTREME_INSTANTS = ['9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2101-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'];
  const admin = () => ({
    get: (path: string, query: Record<string, string> = {}) => t.http().get(path).auth(t.tokens.admin, { type: 'bearer' }).query(query),
    post: (path: string, body: Record<string, unknown>) => t.http().post(path).auth(t.tokens.admin, { type: 'bearer' }).send(body),
  });

  it.each([...EXTREME_DATES, ...EXTREME_INSTANTS])('refuses START with the planned completion date %s with 400, changing nothing', async (plannedCompletionDate) => {
    // given a problem the department may start
    const { id } = await steps.inStage('assigned');
    const before = await steps.footprint(id);

    // when
    const response = await steps.send('facilities', id, { type: 'START', measures: 'Move pallets', responsiblePerson: 'Wang Fang', plannedCompletionDate });

    // then
    expectApiError(response, 400, 'VALIDATION_FAILED');
    expect(invalidFields(response)).toEqual(['plannedCompletionDate']);
    expect(await steps.footprint(id)).toEqual(before);
  });

  it('still takes a planned completion date as a date or an instant within the range', async () => {
    const { id } = await steps.inStage('assigned');

    const response = await steps.send('facilities', id, { type: 'START', measures: 'Move pallets', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-12-20T09:00:00Z' });

    expect(response.status).toBe(200);
  });

  it.each(EXTREME_INSTANTS)('refuses a token expiring at %s with 400, issuing none', async (expiresAt) => {
    // given
    const userId = t.org.users.inspector.actor.userId;
    const before = (await admin().get(`/admin/users/${userId}/tokens`)).body.items.length;

    // when
    const issued = await admin().post(`/admin/users/${userId}/tokens`, { label: 'far', expiresAt });
    const created = await admin().post('/admin/users', { name: 'Far Future', role: 'inspector', tokenExpiresAt: expiresAt });

    // then
    expectApiError(issued, 400, 'VALIDATION_FAILED');
    expect(invalidFields(issued)).toEqual(['expiresAt']);
    expectApiError(created, 400, 'VALIDATION_FAILED');
    expect(invalidFields(created)).toEqual(['tokenExpiresAt']);
    expect((await admin().get(`/admin/users/${userId}/tokens`)).body.items).toHaveLength(before);
  });

  it.each(EXTREME_DATES)('refuses a closure on %s with 400, keeping the calendar version', async (date) => {
    const version = (await admin().get('/admin/calendar')).body.version;

    const response = await admin().post('/admin/calendar/closures', { date, reason: 'Far away' });

    expectApiError(response, 400, 'VALIDATION_FAILED');
    expect(invalidFields(response)).toEqual(['date']);
    expect((await admin().get('/admin/calendar')).body.version).toBe(version);
  });

  it.each(EXTREME_DATES)('refuses a ledger period from or to %s with 400', async (date) => {
    for (const query of [{ from: date }, { to: date }, { from: date, format: 'csv' }]) {
      const response = await t.http().get('/ledger').auth(t.tokens.supervisor, { type: 'bearer' }).query(query);

      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(Object.keys(query).filter((key) => key !== 'format'));
    }
  });
});
