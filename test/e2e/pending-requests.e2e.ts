import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invalidFields, ProblemSteps, type RoleName } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/*
 * The supervisor's list of requests waiting for a decision: GET /problems?pendingRequest=extension|suspension|any,
 * read from the column the engine writes beside each snapshot, within the caller's scope as every list is.
 */
describe('Listing the problems whose request waits for a decision, over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  const ids: Record<string, string> = {};

  const keyOf = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;

  async function listed(role: RoleName, pendingRequest: string): Promise<string[]> {
    const response = await steps.list(role, { pendingRequest });
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => keyOf(item.id)).sort();
  }

  /**
   *   extension   facilities, an extension asked for
   *   suspension  facilities, a suspension asked for
   *   working     facilities, in progress, nothing asked
   *   elsewhere   production, an extension asked for
   */
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    ids.extension = (await steps.inStage('extensionRequested')).id;
    ids.suspension = (await steps.inStage('suspensionRequested')).id;
    ids.working = (await steps.inStage('rectifying.inProgress')).id;
    const filed = await steps.file('inspector', { title: 'Conveyor guard missing' });
    expect(filed.status).toBe(201);
    ids.elsewhere = filed.body.id;
    await steps.accepted('inspector', ids.elsewhere, 'ASSIGN', { departmentId: t.org.departments.production });
    await steps.accepted('production', ids.elsewhere, 'START');
    await steps.accepted('production', ids.elsewhere, 'REQUEST_EXTENSION');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists each kind, or both, for the supervising office', async () => {
    expect(await listed('supervisor', 'any')).toEqual(['elsewhere', 'extension', 'suspension']);
    expect(await listed('supervisor', 'extension')).toEqual(['elsewhere', 'extension']);
    expect(await listed('supervisor', 'suspension')).toEqual(['suspension']);
  });

  it('keeps to the caller’s scope: a department sees its own requests only', async () => {
    expect(await listed('facilities', 'any')).toEqual(['extension', 'suspension']);
    expect(await listed('production', 'any')).toEqual(['elsewhere']);
  });

  it('drops a problem once its request is decided, and lists it again when another is asked', async () => {
    // when the extension is approved and the suspension refused
    await steps.accepted('supervisor', ids.extension, 'APPROVE_EXTENSION');
    await steps.accepted('supervisor', ids.suspension, 'REJECT_SUSPENSION');

    // then only the production request waits
    expect(await listed('supervisor', 'any')).toEqual(['elsewhere']);

    // and when the department asks again, it is back
    await steps.accepted('facilities', ids.suspension, 'REQUEST_SUSPENSION');
    expect(await listed('supervisor', 'suspension')).toEqual(['suspension']);
  });

  it('combines with the other filters and refuses an unknown kind, naming the field', async () => {
    // given
    const inFacilities = await steps.list('supervisor', { pendingRequest: 'any', department: t.org.departments.facilities });
    expect(inFacilities.body.items.map((item: { id: string }) => keyOf(item.id))).toEqual(['suspension']);

    // when / then
    const refused = await steps.list('supervisor', { pendingRequest: 'closure' });
    expect(refused.status).toBe(400);
    expect(invalidFields(refused)).toEqual(['pendingRequest']);
  });
});
