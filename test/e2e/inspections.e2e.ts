import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DemoOrganisation, IdentityService, type IssuedUser, seedDemoOrganisation } from '#identity';
import { expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * [hardening] item 2: the inspection is a resource with a team. Before, filing one problem under someone else's
 * (guessable) inspection reference granted reading every problem of that inspection, its history and evidence.
 */
describe('Inspections and their teams', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  /** A second inspector of the same office, on no team yet. */
  let outsider: IssuedUser;
  /** Another organisation, seeded as the demo does (same reference names as the first). */
  let other: DemoOrganisation;

  beforeAll(async () => {
    t = await createTestApp({ repeatWindowDays: 365 });
    steps = new ProblemSteps(t);
    const identity = t.app.get(IdentityService);
    outsider = await identity.createUser('Sun Li (inspector)', 'inspector', t.org.departments.office);
    other = await seedDemoOrganisation(identity);
  });
  afterAll(async () => {
    await t.close();
  });

  const http = () => t.http();
  const file = (token: string, overrides: Record<string, unknown> = {}) => http().post('/problems').auth(token, { type: 'bearer' }).send(aFiling(overrides));
  const get = (token: string, path: string) => http().get(path).auth(token, { type: 'bearer' });

  it('refuses filing under an inspection whose team the filer is not on, and leaks none of its problems', async () => {
    // given the demo inspector's inspection with one problem
    const mine = await file(t.tokens.inspector, { inspectionRef: 'INSP-TEAM-1', title: 'Whistle-blower: forged test records' });
    expect(mine.status).toBe(201);

    // when another inspector of the same office files (and imports) under that reference
    const filed = await file(outsider.token, { inspectionRef: 'INSP-TEAM-1' });
    const imported = await http()
      .post('/inspections/INSP-TEAM-1/problems/import')
      .auth(outsider.token, { type: 'bearer' })
      .attach('file', Buffer.from('title,description,category,severity,location,requirement\nA,B,C,minor,D,E\n'), 'findings.csv');

    // then both are refused (the inspection is not theirs to see: 404), and they read nothing of it
    expectApiError(filed, 404, 'INSPECTION.NOT_FOUND');
    expectApiError(imported, 404, 'INSPECTION.NOT_FOUND');
    expectApiError(await get(outsider.token, `/problems/${mine.body.id}`), 404, 'PROBLEM.NOT_FOUND');
    expectApiError(await get(outsider.token, `/problems/${mine.body.id}/history`), 404, 'PROBLEM.NOT_FOUND');
    expectApiError(await get(outsider.token, `/problems/${mine.body.id}/evidence`), 404, 'PROBLEM.NOT_FOUND');
    const listed = await get(outsider.token, '/problems?inspection=INSP-TEAM-1');
    expect(listed.body.items).toEqual([]);
    const ledger = await get(outsider.token, '/ledger?inspection=INSP-TEAM-1');
    expect(ledger.body.items).toEqual([]);
    // and nothing was filed under it by them
    const all = await get(t.tokens.admin, '/problems?inspection=INSP-TEAM-1');
    expect(all.body.items.map((problem: { id: string }) => problem.id)).toEqual([mine.body.id]);
  });

  it('shows an inspection to the departments it inspects without letting them file, and to inspectors once on its team', async () => {
    // given an inspection of the office that inspects Facilities
    const created = await http()
      .post('/inspections')
      .auth(t.tokens.supervisor, { type: 'bearer' })
      .send({ reference: 'INSP-FAC-2', title: 'Facilities walk-through', kind: 'safety', inspectedDepartmentIds: [t.org.departments.facilities] });
    expect(created.status).toBe(201);

    // when the inspected department's user (who sees the inspection) tries to import under it
    const imported = await http()
      .post(`/inspections/${created.body.id}/problems/import`)
      .auth(t.tokens.facilities, { type: 'bearer' })
      .attach('file', Buffer.from('title\nA\n'), 'findings.csv');
    const seen = await get(t.tokens.facilities, `/inspections/${created.body.id}`);

    // then filing is for the inspecting side (403), and seeing the inspection is allowed
    expectApiError(imported, 403, 'AUTH.FORBIDDEN');
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ reference: 'INSP-FAC-2', mayFile: false, mayManage: false });

    // and a supervisor-created inspection is not the demo inspector's to file under until they are added
    expectApiError(await file(t.tokens.inspector, { inspectionId: created.body.id }), 404, 'INSPECTION.NOT_FOUND');
    const added = await http()
      .post(`/inspections/${created.body.id}/members`)
      .auth(t.tokens.supervisor, { type: 'bearer' })
      .send({ userId: t.org.users.inspector.actor.userId });
    expect(added.status).toBe(200);
    const filed = await file(t.tokens.inspector, { inspectionId: created.body.id });
    expect(filed.status).toBe(201);
    expect(filed.body.inspectionRef).toBe('INSP-FAC-2');
  });

  it('grants the team read scope when someone is added, takes it away when removed, and audits both', async () => {
    // given a problem of the inspector's inspection the outsider cannot see
    const filed = await file(t.tokens.inspector, { inspectionRef: 'INSP-TEAM-3' });
    expectApiError(await get(outsider.token, `/problems/${filed.body.id}`), 404, 'PROBLEM.NOT_FOUND');

    // when its creator adds the outsider to the team
    const added = await http()
      .post('/inspections/INSP-TEAM-3/members')
      .auth(t.tokens.inspector, { type: 'bearer' })
      .send({ userId: outsider.actor.userId });

    // then they see its problems and may file under it
    expect(added.status).toBe(200);
    expect(added.body.members.map((member: { userId: string }) => member.userId)).toEqual([t.org.users.inspector.actor.userId, outsider.actor.userId]);
    expect((await get(outsider.token, `/problems/${filed.body.id}`)).status).toBe(200);
    expect((await file(outsider.token, { inspectionRef: 'INSP-TEAM-3' })).status).toBe(201);
    // but a team member who did not create it may not manage the team
    const refused = await http().delete(`/inspections/INSP-TEAM-3/members/${t.org.users.inspector.actor.userId}`).auth(outsider.token, { type: 'bearer' });
    expectApiError(refused, 403, 'AUTH.FORBIDDEN');

    // when the creator removes them again
    const removed = await http().delete(`/inspections/INSP-TEAM-3/members/${outsider.actor.userId}`).auth(t.tokens.inspector, { type: 'bearer' });

    // then the inspection's problems are out of their scope again, except the one they filed themselves
    expect(removed.status).toBe(200);
    expectApiError(await get(outsider.token, `/problems/${filed.body.id}`), 404, 'PROBLEM.NOT_FOUND');
    expect((await get(outsider.token, '/problems?inspection=INSP-TEAM-3')).body.items).toHaveLength(1);
    // and they still see the inspection their problem belongs to, but may file under it no more
    expect((await get(outsider.token, '/inspections/INSP-TEAM-3')).body).toMatchObject({ mayFile: false });
    expectApiError(await file(outsider.token, { inspectionRef: 'INSP-TEAM-3' }), 403, 'INSPECTION.NOT_ON_TEAM');
    const audit = await get(t.tokens.admin, '/admin/audit?limit=50');
    const actions = audit.body.items
      .filter((entry: { targetId: string }) => entry.targetId === added.body.id)
      .map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['inspection.create', 'inspection.add_member', 'inspection.remove_member']));
  });

  it('keeps references per organisation: the same reference in another organisation is another inspection', async () => {
    // given a problem of the first organisation under a reference
    const first = await file(t.tokens.inspector, { inspectionRef: 'INSP-SHARED' });

    // when the other organisation's inspector files under the same reference
    const second = await file(other.users.inspector.token, { inspectionRef: 'INSP-SHARED' });

    // then it is their own inspection, and neither sees the other's problem
    expect(second.status).toBe(201);
    expect(second.body.inspectionRef).toBe('INSP-SHARED');
    expectApiError(await get(other.users.inspector.token, `/problems/${first.body.id}`), 404, 'PROBLEM.NOT_FOUND');
    expectApiError(await get(t.tokens.inspector, `/problems/${second.body.id}`), 404, 'PROBLEM.NOT_FOUND');
    const theirs = await get(other.users.inspector.token, '/inspections/INSP-SHARED');
    const ours = await get(t.tokens.inspector, '/inspections/INSP-SHARED');
    expect(theirs.body.id).not.toBe(ours.body.id);
    // and an admin, outside every organisation, must name it by id
    expectApiError(await file(t.tokens.admin, { inspectionRef: 'INSP-SHARED' }), 422, 'INSPECTION.AMBIGUOUS_REFERENCE');
    expect((await file(t.tokens.admin, { inspectionRef: undefined, inspectionId: ours.body.id })).status).toBe(201);
  });

  it('creates, lists and changes inspections with validated input, refusing a taken reference', async () => {
    // when the inspector creates an inspection with a team and dates
    const created = await http()
      .post('/inspections')
      .auth(t.tokens.inspector, { type: 'bearer' })
      .send({ reference: 'INSP-2026-Q2', title: 'Q2 audit', kind: 'audit', startsOn: '2026-04-01', endsOn: '2026-04-03', memberIds: [outsider.actor.userId] });

    // then it is theirs, with the team, and listed for both team members only
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ reference: 'INSP-2026-Q2', kind: 'audit', officeId: t.org.departments.office, mayFile: true, mayManage: true });
    const listedByOutsider = await get(outsider.token, '/inspections?reference=INSP-2026-Q2');
    expect(listedByOutsider.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    expect((await get(other.users.inspector.token, '/inspections?reference=INSP-2026-Q2')).body.items).toEqual([]);
    expectApiError(await get(other.users.inspector.token, `/inspections/${created.body.id}`), 404, 'INSPECTION.NOT_FOUND');

    // and refuses what does not fit
    const again = await http().post('/inspections').auth(t.tokens.supervisor, { type: 'bearer' }).send({ reference: 'INSP-2026-Q2' });
    expectApiError(again, 409, 'INSPECTION.REFERENCE_TAKEN');
    const byDepartment = await http().post('/inspections').auth(t.tokens.facilities, { type: 'bearer' }).send({ reference: 'X-1' });
    expectApiError(byDepartment, 403, 'AUTH.FORBIDDEN');
    const departmentMember = await http()
      .post(`/inspections/${created.body.id}/members`)
      .auth(t.tokens.inspector, { type: 'bearer' })
      .send({ userId: t.org.users.facilities.actor.userId });
    expectApiError(departmentMember, 422, 'INSPECTION.INVALID_MEMBER');
    const backwards = await http().patch(`/inspections/${created.body.id}`).auth(t.tokens.inspector, { type: 'bearer' }).send({ endsOn: '2026-03-01' });
    expectApiError(backwards, 400, 'VALIDATION_FAILED');
    const slash = await http().post('/inspections').auth(t.tokens.inspector, { type: 'bearer' }).send({ reference: 'a/b' });
    expectApiError(slash, 400, 'VALIDATION_FAILED');

    // and a supervisor over its office may change it
    const renamed = await http().patch(`/inspections/${created.body.id}`).auth(t.tokens.supervisor, { type: 'bearer' }).send({ title: 'Q2 audit, warehouses' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe('Q2 audit, warehouses');
  });

  it('looks for repeats only within the organisation, and names a repeat only to those who may see it', async () => {
    // given a closed problem of the first organisation at a place
    const place = { location: 'Paint store', category: 'chemical-storage', severity: 'general' };
    const closed = await steps.inStage('closed', { ...place, inspectionRef: 'INSP-REPEAT' });

    // when the other organisation finds a problem at a place of the same name
    const elsewhere = await file(other.users.inspector.token, { ...place, inspectionRef: 'INSP-REPEAT-B' });

    // then it is no repeat, and its severity is as reported
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body).toMatchObject({ repeatOf: null, severity: 'general' });

    // when an inspector of the same organisation who cannot see the earlier problem finds it again
    const again = await file(outsider.token, { ...place, inspectionRef: 'INSP-REPEAT-C' });

    // then the severity rule applies and the history says why, but the response does not name the problem
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ repeatOf: null, severity: 'major' });
    const history = await get(outsider.token, `/problems/${again.body.id}/history`);
    expect(history.body.items[0].payload).toMatchObject({ reportedSeverity: 'general', severity: 'major' });
    // and someone who may see both is shown the link
    expect((await steps.get('supervisor', again.body.id)).body.repeatOf).toBe(closed.id);
  });
});
