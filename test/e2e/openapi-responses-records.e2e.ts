import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aFindingRow, toCsv } from '../support/findings-files.js';
import { expectDocumented, type OpenApiDocument } from '../support/openapi-schema.js';
import { ProblemSteps, ROLE_NAMES, type RoleName, uploadEvidence } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/binary-body.js';


/*
 * The console is type-checked against the OpenAPI document (its client is generated from it), so the document must
 * say what the server really answers. Real answers of inspections, bulk filing, evidence, the ledger and the audit
 * log, taken through the API, are checked against the schema each documents (test/support/openapi-schema.ts: an
 * unnamed field is an error too).
 */
describe('The OpenAPI document’s answers of inspections, imports, evidence, the ledger and the audit log against the real ones', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let document: OpenApiDocument;


  /** The media types the document lists for an operation's answer. */
  function documentedTypes(method: string, path: string, status = 200): string[] {
    return Object.keys(document.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content ?? {});
  }

  const as = (role: RoleName) => ({ Authorization: `Bearer ${t.tokens[role]}` });


  beforeAll(async () => {
    // Repeat detection on: later filings at the same place repeat earlier ones, so `repeatOf` is both null and set.
    t = await createTestApp({ repeatWindowDays: 365 });
    steps = new ProblemSteps(t);
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes inspections: creating, one, the list, changing and the team', async () => {
    // given an inspection with dates and inspected departments, by a supervisor (on its team, with an office)
    const dated = await t.http().post('/inspections').set(as('supervisor')).send({
      reference: 'INSP-OAS-1',
      title: 'Quarterly fire-safety inspection',
      kind: 'safety',
      startsOn: '2026-03-02',
      endsOn: '2026-03-06',
      inspectedDepartmentIds: [t.org.departments.facilities],
    });
    expectDocumented(document, dated, 'POST', '/inspections', 201);
    expect(dated.body).toEqual(expect.objectContaining({ startsOn: '2026-03-02', officeId: expect.any(String), organisationId: expect.any(String) }));
    // and one by an admin: no dates, no office, no organisation, no team
    const bare = await t.http().post('/inspections').set(as('admin')).send({ reference: 'INSP-OAS-2' });
    expectDocumented(document, bare, 'POST', '/inspections', 201);
    expect(bare.body).toEqual(expect.objectContaining({ startsOn: null, endsOn: null, officeId: null, organisationId: null, members: [] }));

    // when it is changed, and its team grows and shrinks
    const patched = await t.http().patch(`/inspections/${bare.body.id}`).set(as('admin')).send({ title: 'Audit of the stores', kind: 'audit', endsOn: '2026-03-31' });
    expectDocumented(document, patched, 'PATCH', '/inspections/{inspection}');
    const added = await t.http().post(`/inspections/${bare.body.id}/members`).set(as('admin')).send({ userId: t.org.users.inspector.actor.userId });
    expectDocumented(document, added, 'POST', '/inspections/{inspection}/members');
    expect(added.body.members).toHaveLength(1);
    const removed = await t.http().delete(`/inspections/${bare.body.id}/members/${t.org.users.inspector.actor.userId}`).set(as('admin'));
    expectDocumented(document, removed, 'DELETE', '/inspections/{inspection}/members/{userId}');

    // then one inspection and the list read as documented, for every role
    expectDocumented(document, await t.http().get('/inspections/INSP-OAS-1').set(as('supervisor')), 'GET', '/inspections/{inspection}');
    expectDocumented(document, await t.http().get(`/inspections/${dated.body.id}`).set(as('facilities')), 'GET', '/inspections/{inspection}');
    for (const role of ROLE_NAMES) expectDocumented(document, await t.http().get('/inspections').set(as(role)), 'GET', '/inspections');
    const firstPage = await t.http().get('/inspections').query({ limit: 1 }).set(as('admin'));
    expectDocumented(document, firstPage, 'GET', '/inspections');
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
  });

  it('describes the report of a bulk filing: filed, duplicate and refused rows', async () => {
    // given a file with a valid row, the same key again, and a row without a title
    const file = toCsv([aFindingRow(1), aFindingRow(2, { key: 'F-1' }), aFindingRow(3, { title: '' })]);

    // when it is imported keeping the valid rows, and a valid file all or nothing
    const validOnly = await t.http().post('/inspections/INSP-OAS-IMPORT/problems/import').query({ mode: 'valid-only' }).set(as('inspector')).attach('file', file, 'findings.csv');
    const allOrNothing = await t.http().post('/inspections/INSP-OAS-IMPORT/problems/import').set(as('inspector')).attach('file', toCsv([aFindingRow(4)]), 'findings.csv');

    // then
    expectDocumented(document, validOnly, 'POST', '/inspections/{ref}/problems/import', 201);
    expect(validOnly.body).toEqual(expect.objectContaining({ total: 3, filed: [expect.anything()], duplicates: [expect.anything()], errors: [expect.anything()] }));
    expectDocumented(document, allOrNothing, 'POST', '/inspections/{ref}/problems/import', 201);
  });

  it('describes evidence: an upload, a problem’s list before and after a submission carried it, and the integrity check', async () => {
    // given a finding photo, and a problem whose submission carried its rectification evidence
    const { id: found } = await steps.inStage('found');
    const uploaded = await uploadEvidence(t, t.tokens.inspector, found, 'finding', `before ${randomUUID()}`, 'before.txt');
    expectDocumented(document, uploaded, 'POST', '/problems/{id}/evidence', 201);
    const { id: submitted } = await steps.inStage('rectifying.awaitingVerification');

    // then the lists read as documented, with submittedInVersion null and set
    for (const role of ['inspector', 'supervisor'] as const) expectDocumented(document, await t.http().get(`/problems/${found}/evidence`).set(as(role)), 'GET', '/problems/{id}/evidence');
    const carried = await t.http().get(`/problems/${submitted}/evidence`).set(as('facilities'));
    expectDocumented(document, carried, 'GET', '/problems/{id}/evidence');
    expect(carried.body.items.map((item: { submittedInVersion: number | null }) => item.submittedInVersion)).toEqual([expect.any(Number)]);
    expect((await t.http().get(`/problems/${found}/evidence`).set(as('inspector'))).body.items[0].submittedInVersion).toBeNull();

    // and the integrity check, intact and then with a file edited and another removed
    const intact = await t.http().get('/admin/evidence/verify').set(as('admin'));
    expectDocumented(document, intact, 'GET', '/admin/evidence/verify');
    expect(intact.body.ok).toBe(true);
    const { id: other } = await steps.inStage('rectifying.inProgress');
    const tampered = await uploadEvidence(t, t.tokens.facilities, other, 'rectification', `to be tampered ${randomUUID()}`);
    const gone = await uploadEvidence(t, t.tokens.facilities, other, 'rectification', `to be removed ${randomUUID()}`);
    const stored = (hash: string) => join(t.evidence.dir, 'sha256', hash.slice(0, 2), hash.slice(2));
    writeFileSync(stored(tampered.body.sha256), 'edited afterwards');
    rmSync(stored(gone.body.sha256));
    const broken = await t.http().get('/admin/evidence/verify').set(as('admin'));
    expectDocumented(document, broken, 'GET', '/admin/evidence/verify');
    expect(broken.body).toEqual(expect.objectContaining({ ok: false, mismatches: [expect.anything()], missing: [expect.anything()] }));
  });

  it('describes the ledger and its summary as JSON, and the CSV and XLSX exports by their real media types', async () => {
    // given problems found, in progress with a progress report, closed, and cancelled (repeats of one another)
    await steps.inStage('found');
    const { id: progressing } = await steps.inStage('rectifying.inProgress');
    await steps.accepted('facilities', progressing, 'REPORT_PROGRESS');
    await steps.inStage('closed');
    await steps.inStage('cancelled');

    // then the rows and the summary read as documented, for every role
    for (const role of ROLE_NAMES) {
      expectDocumented(document, await t.http().get('/ledger').set(as(role)), 'GET', '/ledger');
      expectDocumented(document, await t.http().get('/ledger/summary').query({ format: 'json' }).set(as(role)), 'GET', '/ledger/summary');
      expectDocumented(document, await t.http().get('/ledger/ranking').set(as(role)), 'GET', '/ledger/ranking');
      expectDocumented(document, await t.http().get('/ledger/dashboard').query({ weeks: 4 }).set(as(role)), 'GET', '/ledger/dashboard');
    }
    const dashboard = (await t.http().get('/ledger/dashboard').set(as('supervisor'))).body;
    expect({ lit: dashboard.lights.byDepartment.length > 0, steps: dashboard.ladder.length > 0, weeks: dashboard.trend.length }).toEqual({ lit: true, steps: true, weeks: 12 });
    const ranked = (await t.http().get('/ledger/ranking').set(as('supervisor'))).body.departments as Array<Record<string, unknown>>;
    expect(ranked.length).toBeGreaterThan(0);
    const rows = (await t.http().get('/ledger').query({ format: 'json', limit: 1000 }).set(as('supervisor'))).body.items as Array<Record<string, unknown>>;
    for (const field of ['departmentId', 'latestProgress', 'closedAt', 'completedAt', 'workingDaysToClose', 'repeatOf', 'plannedCompletionDate']) {
      expect({ field, null: rows.some((row) => row[field] === null), set: rows.some((row) => row[field] !== null) }).toEqual({ field, null: true, set: true });
    }
    const page = await t.http().get('/ledger').query({ limit: 1 }).set(as('supervisor'));
    expectDocumented(document, page, 'GET', '/ledger');
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const summary = (await t.http().get('/ledger/summary').set(as('supervisor'))).body;
    expect(summary.all.onTimeRate).toEqual(expect.any(Number));
    expect(summary.byDepartment.some((group: { key: string | null }) => group.key === null)).toBe(true);
    expect((await t.http().get('/ledger/summary').set(as('production'))).body.all.onTimeRate).toBeNull();

    // and each export answers with a media type the document lists for it, beside JSON
    for (const path of ['/ledger', '/ledger/summary', '/ledger/ranking']) {
      expect(documentedTypes('GET', path)).toContain('application/json');
      for (const format of ['csv', 'xlsx']) {
        const exported = await t.http().get(path).query({ format }).set(as('supervisor')).buffer(true).parse(binary);
        expect(exported.status).toBe(200);
        expect(documentedTypes('GET', path)).toContain(exported.headers['content-type']);
      }
    }
  });

  it('describes the audit log, with admin actions and inspection changes, a page at a time', async () => {
    // given a user created, a calendar change and an inspection change, each audited
    expect((await t.http().post('/admin/users').set(as('admin')).send({ name: 'Zhou Min', role: 'inspector', departmentId: t.org.departments.office })).status).toBe(201);
    await steps.newCalendarVersion();
    expect((await t.http().post('/inspections').set(as('inspector')).send({ reference: 'INSP-OAS-AUDIT' })).status).toBe(201);

    // then the log reads as documented, whole and a page at a time
    const log = await t.http().get('/admin/audit').query({ limit: 200 }).set(as('admin'));
    expectDocumented(document, log, 'GET', '/admin/audit');
    const targets = new Set((log.body.items as Array<{ targetType: string }>).map((entry) => entry.targetType));
    expect([...targets]).toEqual(expect.arrayContaining(['user', 'calendar', 'inspection']));
    expect(log.body.nextCursor).toBeNull();
    const first = await t.http().get('/admin/audit').query({ limit: 1 }).set(as('admin'));
    expectDocumented(document, first, 'GET', '/admin/audit');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expectDocumented(document, await t.http().get('/admin/audit').query({ limit: 1, cursor: first.body.nextCursor }).set(as('admin')), 'GET', '/admin/audit');
  });
});
