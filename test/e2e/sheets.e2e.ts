import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProblemRepository, RectificationEngine } from '#engine';
import { Database } from '#persistence';
import { DeadlineScheduler } from '#scheduler';
import { expectDocumented, type OpenApiDocument } from '../support/openapi-schema.js';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/binary-body.js';
import { pdfText } from '../support/pdf-text.js';

const DEADLINE = '2026-03-20T18:00:00+08:00'; // Friday 20 March, 18:00 Shanghai
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

interface Sheet {
  id: string;
  number: string;
  year: number;
  sequence: number;
  organisationId: string;
  problemVersion: number;
  historyHash: string;
  facts: Record<string, any>;
}

describe('Numbered supervision sheets (督办单): issued by the ladder, downloaded as PDF, verified against the history', () => {
  let t: TestApp;
  let facilitiesProblem: string;
  let productionProblem: string;

  const as = (role: keyof TestApp['tokens']) => ({
    send: async (id: string, body: Record<string, unknown>) => {
      const response = await t.http().post(`/problems/${id}/events`).auth(t.tokens[role], { type: 'bearer' }).send(body);
      if (response.status !== 200) throw new Error(`${role} ${String(body.type)} → ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    },
    get: (path: string, query: Record<string, string> = {}) => t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query),
    pdf: (number: string) =>
      t.http().get(`/sheets/${encodeURIComponent(number)}`).auth(t.tokens[role], { type: 'bearer' }).query({ format: 'pdf' }).buffer(true).parse(binary),
    present: (number: string, pdf: Buffer) =>
      t.http().post(`/sheets/${encodeURIComponent(number)}/verify`).auth(t.tokens[role], { type: 'bearer' }).attach('file', pdf, { filename: 'copy.pdf', contentType: 'application/pdf' }),
  });
  const sheetsOf = async (id: string): Promise<Sheet[]> => {
    const response = await as('supervisor').get(`/problems/${id}/sheets`);
    expect(response.status).toBe(200);
    return response.body.items;
  };
  const sweepAt = async (local: string) => {
    t.clock.set(at(local));
    for (let sweep = 0; sweep < 3; sweep += 1) await t.app.get(DeadlineScheduler).sweep();
  };

  /**
   * Two problems due Friday 20 March, one with facilities and one with production, both left overdue: the built-in
   * ladder escalates each at the deadline (一级督办) and again three working days later (二级督办).
   */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    t.clock.set(at('2026-03-02T09:00:00'));
    const file = async (title: string) => (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title, inspectionRef: 'INSP-SHEET-1' }))).body.id as string;
    facilitiesProblem = await file('配电箱未上锁');
    productionProblem = await file('叉车无证驾驶');
    const plan = { type: 'START', measures: 'Lock it', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };
    await as('inspector').send(facilitiesProblem, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
    await as('facilities').send(facilitiesProblem, plan);
    await as('inspector').send(productionProblem, { type: 'ASSIGN', departmentId: t.org.departments.production, deadline: DEADLINE });
    await as('production').send(productionProblem, plan);
    await sweepAt('2026-03-20T18:00:01');
    await sweepAt('2026-03-25T18:00:01');
    t.clock.set(at('2026-03-26T10:00:00'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('issues one sheet per ladder step, numbered per organisation and year, with the facts it prints as they stood', async () => {
    // when
    const facilities = await sheetsOf(facilitiesProblem);
    const production = await sheetsOf(productionProblem);

    // then: four sheets in the office's tree this year, numbered 1 to 4 in the order they were issued
    expect([...facilities, ...production].map((sheet) => sheet.sequence).sort()).toEqual([1, 2, 3, 4]);
    expect(facilities.map((sheet) => sheet.facts.stepName)).toEqual(['一级督办', '二级督办']);
    expect(production.map((sheet) => sheet.facts.level)).toEqual([1, 2]);
    expect(facilities[0].sequence).toBeLessThan(facilities[1].sequence);
    expect(facilities[1].number).toBe(`督〔2026〕${facilities[1].sequence}号`);
    expect(facilities[0]).toMatchObject({
      year: 2026,
      organisationId: t.org.departments.office,
      facts: {
        level: 1,
        problem: { id: facilitiesProblem, title: '配电箱未上锁', inspectionRef: 'INSP-SHEET-1' },
        deadline: new Date(DEADLINE).toISOString(),
        responsibleDepartment: { id: t.org.departments.facilities, name: 'Facilities Department (设施部)' },
        leader: { id: t.org.users.facilities.actor.userId, name: 'Wang Fang (Facilities)' },
        issuingOffice: { id: t.org.departments.office, name: 'Safety Supervision Office (安全督查办)' },
      },
    });
    // the hash is that of the history row that issued it, an ESCALATE
    const history = (await as('supervisor').get(`/problems/${facilitiesProblem}/history`)).body.items as Array<{ version: number; eventType: string; hash: string }>;
    const issuing = history.find((row) => row.version === facilities[0].problemVersion)!;
    expect(issuing).toMatchObject({ eventType: 'ESCALATE', hash: facilities[0].historyHash });
  });

  it('downloads the sheet as a PDF whose Chinese text reads back, the same file every time', async () => {
    // given
    const [sheet] = await sheetsOf(facilitiesProblem);

    // when: asked for by its printed number, then by its plain one
    const first = await as('facilities').pdf(sheet.number);
    const second = await as('supervisor').pdf(`${sheet.year}-${sheet.sequence}`);

    // then
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect((first.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(first.body, second.body)).toBe(0);
    const text = await pdfText(first.body);
    for (const printed of ['一级督办', sheet.number, '设施部', '安全督查办', '配电箱未上锁', '2026年3月20日', '督办要求', sheet.historyHash.slice(0, 32)]) {
      expect(text).toContain(printed);
    }
    expect(text.replace(/ /g, '')).toContain(`/sheets/${sheet.year}-${sheet.sequence}/verify?organisation=${sheet.organisationId}`);
    expect((await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}`)).body).toMatchObject({ id: sheet.id, pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('verifies an intact sheet and its PDF, and fails a PDF with one byte changed', async () => {
    // given
    const [, sheet] = await sheetsOf(facilitiesProblem);
    const pdf = (await as('supervisor').pdf(sheet.number)).body as Buffer;
    const altered = Buffer.from(pdf);
    const offset = altered.indexOf('Safety') > 0 ? altered.indexOf('Safety') : Math.floor(altered.length / 2);
    altered[offset] ^= 0x01;

    // when
    const intact = await as('supervisor').get(`/sheets/${encodeURIComponent(sheet.number)}/verify`);
    const copy = await as('supervisor').present(sheet.number, pdf);
    const forged = await as('supervisor').present(sheet.number, altered);

    // then
    expect(intact.status).toBe(200);
    expect(intact.body).toEqual({ number: sheet.number, valid: true, historyRow: 'matches', chainIntact: true, pdf: 'notChecked', problems: [] });
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({ valid: true, pdf: 'matches' });
    expect(forged.body).toMatchObject({ valid: false, historyRow: 'matches', pdf: 'differs' });
    expect(forged.body.problems).toEqual([expect.stringContaining('not the sheet as issued')]);
  });

  it('fails the sheet once the history row that issued it was altered', async () => {
    // given: the production problem's sheet, then its ESCALATE row rewritten behind the system's back
    const [sheet] = await sheetsOf(productionProblem);
    const before = await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}/verify`);
    expect(before.body).toMatchObject({ valid: true });
    const db = t.app.get(Database);
    await db.sqlWrite((sql) =>
      sql.run('UPDATE problem_history SET payload = ? WHERE problem_id = ? AND version = ?', ['{"type":"ESCALATE","level":1,"scheduledFor":"2026-03-27T10:00:00.000Z"}', productionProblem, sheet.problemVersion]),
    );

    // when
    const after = await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}/verify`);

    // then
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ valid: false, chainIntact: false });
    expect(after.body.problems.join(' ')).toContain(`version ${sheet.problemVersion}`);
  });

  it('answers as the OpenAPI document describes, the PDF by its media type', async () => {
    // given
    const document = (await t.http().get('/docs-json')).body as OpenApiDocument;
    const [sheet] = await sheetsOf(productionProblem);
    const plain = `${sheet.year}-${sheet.sequence}`;

    // then
    expectDocumented(document, await as('supervisor').get(`/problems/${productionProblem}/sheets`), 'GET', '/problems/{id}/sheets');
    expectDocumented(document, await as('production').get(`/sheets/${plain}`), 'GET', '/sheets/{number}');
    expectDocumented(document, await as('production').get(`/sheets/${plain}/verify`), 'GET', '/sheets/{number}/verify');
    expectDocumented(document, await as('production').present(plain, Buffer.from('%PDF-1.7')), 'POST', '/sheets/{number}/verify');
    expect(Object.keys(document.paths['/sheets/{number}'].get.responses['200'].content ?? {})).toEqual(expect.arrayContaining(['application/json', 'application/pdf']));
  });

  it('prints no address a forged Host header names: without NOTIFY_CONSOLE_URL, only this machine’s', async () => {
    // given a sheet never downloaded yet (the production problem's second)
    const [, sheet] = await sheetsOf(productionProblem);
    expect((await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}`)).body.pdfSha256).toBeNull();

    // when its first download comes with someone else's Host
    const pdf = await t.http().get(`/sheets/${sheet.year}-${sheet.sequence}`).query({ format: 'pdf' }).set('Host', 'evil.example').auth(t.tokens.supervisor, { type: 'bearer' }).buffer(true).parse(binary);

    // then the kept sheet's QR address is localhost's, not theirs
    expect(pdf.status).toBe(200);
    const text = (await pdfText(pdf.body)).replace(/ /g, '');
    expect(text).toContain(`核验地址：http://localhost/sheets/${sheet.year}-${sheet.sequence}/verify`);
    expect(text).not.toContain('evil.example');
  });

  it('answers a sheet outside the caller’s scope as one that does not exist, and refuses what is not a number', async () => {
    // given
    const [sheet] = await sheetsOf(facilitiesProblem);

    // when / then
    expectApiError(await as('production').get(`/sheets/${sheet.year}-${sheet.sequence}`), 404, 'SHEET.NOT_FOUND');
    expectApiError(await as('production').get(`/sheets/${sheet.year}-${sheet.sequence}/verify`), 404, 'SHEET.NOT_FOUND');
    expectApiError(await as('production').get(`/problems/${facilitiesProblem}/sheets`), 404, 'PROBLEM.NOT_FOUND');
    expectApiError(await as('supervisor').get('/sheets/2026-999'), 404, 'SHEET.NOT_FOUND');
    expectApiError(await as('supervisor').get('/sheets/seventeen'), 400, 'VALIDATION_FAILED');
    expectApiError(await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}`, { format: 'docx' }), 400, 'VALIDATION_FAILED');
    expectApiError(await as('supervisor').get(`/sheets/${sheet.year}-${sheet.sequence}`, { organisation: 'not-an-id' }), 400, 'VALIDATION_FAILED');
    expectApiError(await t.http().post(`/sheets/${sheet.year}-${sheet.sequence}/verify`).auth(t.tokens.supervisor, { type: 'bearer' }), 400, 'VALIDATION_FAILED');
    const tooLarge = await as('supervisor').present(sheet.number, Buffer.alloc(2 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
  });
});

describe('A written response (书面回复) to a sheet whose ladder step asks for one, over HTTP', () => {
  let t: TestApp;
  let asking: Sheet & { facts: { responseDue: string | null } };
  let silent: Sheet;

  const respond = (role: keyof TestApp['tokens'], number: string, text: unknown) =>
    t.http().post(`/sheets/${encodeURIComponent(number)}/response`).auth(t.tokens[role], { type: 'bearer' }).send({ text });

  /**
   * A version whose first step asks for a written response within 3 working days, published before a facilities
   * problem is assigned (due Friday 20 March); one assigned before it runs on the built-in ladder, which asks none.
   */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    t.clock.set(at('2026-03-02T09:00:00'));
    const send = async (role: keyof TestApp['tokens'], id: string, body: Record<string, unknown>) => {
      const response = await t.http().post(`/problems/${id}/events`).auth(t.tokens[role], { type: 'bearer' }).send(body);
      expect(response.status).toBe(200);
    };
    const file = async (title: string) => (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title, inspectionRef: 'INSP-SHEET-2' }))).body.id as string;
    const plan = { type: 'START', measures: 'Fix it', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };
    const before = await file('灭火器过期');
    await send('inspector', before, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
    await send('facilities', before, plan);
    const current = (await t.http().get('/deadline-policy').auth(t.tokens.admin, { type: 'bearer' })).body.policy;
    const { id: _id, version, ...draft } = current;
    const escalation = draft.escalation.map((step: Record<string, unknown>) => (step.level === 1 ? { ...step, responseWorkingDays: 3 } : step));
    const published = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' }).send({ basedOnVersion: version, note: '督办须书面回复', policy: { ...draft, escalation } });
    expect(published.status).toBe(201);
    expect(published.body.policy.escalation[0]).toMatchObject({ level: 1, responseWorkingDays: 3 });
    expect(published.body.policy.escalation[1]).toMatchObject({ level: 2, responseWorkingDays: null });
    const after = await file('配电箱未上锁');
    await send('inspector', after, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
    await send('facilities', after, plan);
    t.clock.set(at('2026-03-20T18:00:01'));
    for (let sweep = 0; sweep < 3; sweep += 1) await t.app.get(DeadlineScheduler).sweep();
    const sheetOf = async (id: string) => (await t.http().get(`/problems/${id}/sheets`).auth(t.tokens.supervisor, { type: 'bearer' })).body.items[0];
    asking = await sheetOf(after);
    silent = await sheetOf(before);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('asks for it by a date counted on the working calendar, and prints the date', async () => {
    // then: three working days after Friday 20 March is Wednesday 25 March, at the end of the working day
    expect(asking.facts.responseDue).toBe(at('2026-03-25T18:00:00'));
    expect(asking.facts.requirement).toContain('于2026年3月25日前将整改情况及逾期原因书面报告');
    expect(silent.facts).toMatchObject({ responseDue: null });
    const pdf = await t.http().get(`/sheets/${encodeURIComponent(asking.number)}`).query({ format: 'pdf' }).auth(t.tokens.facilities, { type: 'bearer' }).buffer(true).parse(binary);
    expect(await pdfText(pdf.body)).toContain('书面回复期限：2026年3月25日');
  });

  it('takes it once from the responsible department, late when after the date, and keeps it with the sheet', async () => {
    // given the day after it was due
    t.clock.set(at('2026-03-26T09:30:00'));

    // when
    const given = await respond('facilities', asking.number, '  已加锁并张贴警示标识；逾期原因：锁具到货延迟。  ');

    // then
    expectDocumented((await t.http().get('/docs-json')).body as OpenApiDocument, given, 'POST', '/sheets/{number}/response');
    expect(given.body.response).toEqual({
      text: '已加锁并张贴警示标识；逾期原因：锁具到货延迟。',
      at: at('2026-03-26T09:30:00'),
      by: { id: t.org.users.facilities.actor.userId, name: 'Wang Fang (Facilities)' },
      late: true,
    });
    const read = await t.http().get(`/sheets/${encodeURIComponent(asking.number)}`).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(read.body.response).toEqual(given.body.response);
    expectApiError(await respond('facilities', asking.number, 'Second thoughts'), 409, 'SHEET.ALREADY_RESPONDED');
    expect((await t.http().get(`/sheets/${encodeURIComponent(asking.number)}`).auth(t.tokens.supervisor, { type: 'bearer' })).body.response.text).toBe(given.body.response.text);
  });

  it('refuses anyone but the department, a sheet that asks for none, and a blank or overlong text', async () => {
    expectApiError(await respond('supervisor', silent.number, 'Not mine to give'), 403, 'AUTH.NOT_YOUR_DEPARTMENT');
    expectApiError(await respond('production', silent.number, 'Not ours'), 404, 'SHEET.NOT_FOUND');
    expectApiError(await respond('facilities', silent.number, 'Nobody asked'), 409, 'SHEET.NO_RESPONSE_ASKED');
    expectApiError(await respond('facilities', silent.number, '   '), 400, 'VALIDATION_FAILED');
    expectApiError(await respond('facilities', silent.number, 'x'.repeat(4001)), 400, 'VALIDATION_FAILED');
    expectApiError(await respond('facilities', silent.number, 42), 400, 'VALIDATION_FAILED');
    expect((await t.http().get(`/sheets/${encodeURIComponent(silent.number)}`).auth(t.tokens.supervisor, { type: 'bearer' })).body.response).toBeNull();
  });
});

describe('The sheets’ registry (督办单台账), over HTTP', () => {
  let t: TestApp;
  const list = (role: keyof TestApp['tokens'], query: Record<string, string> = {}) => t.http().get('/sheets').auth(t.tokens[role], { type: 'bearer' }).query(query);

  /** Under the 督查督办 preset (a written response within 3 working days of each of the first three steps): facilities and production problems escalate once. */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    t.clock.set(at('2026-03-02T09:00:00'));
    const presets = (await t.http().get('/admin/deadline-policy/presets').auth(t.tokens.admin, { type: 'bearer' })).body as Array<{ key: string; draft: object }>;
    const office = presets.find((preset) => preset.key === 'supervision-office')!;
    const published = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' }).send({ basedOnVersion: 1, note: '督查督办办法', policy: office.draft });
    expect(published.status).toBe(201);
    for (const [role, department] of [['facilities', t.org.departments.facilities], ['production', t.org.departments.production]] as const) {
      const id = (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title: `台账 ${role}`, inspectionRef: 'INSP-SHEET-4' }))).body.id as string;
      const assigned = await t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' }).send({ type: 'ASSIGN', departmentId: department, deadline: DEADLINE });
      expect(assigned.status).toBe(200);
    }
    t.clock.set(at('2026-03-20T18:00:01'));
    for (let sweep = 0; sweep < 3; sweep += 1) await t.app.get(DeadlineScheduler).sweep();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the sheets in scope newest first, by year, department and where the written response stands, a page at a time', async () => {
    // given both due by Wednesday 25 March; facilities responds on the 24th
    t.clock.set(at('2026-03-24T10:00:00'));
    const all = (await list('supervisor')).body.items as Sheet[];
    expect(all).toHaveLength(2);
    const facilities = all.find((sheet) => sheet.facts.responsibleDepartment.id === t.org.departments.facilities)!;
    const given = await t.http().post(`/sheets/${facilities.year}-${facilities.sequence}/response`).auth(t.tokens.facilities, { type: 'bearer' }).send({ text: '已整改' });
    expect(given.status).toBe(200);

    // when / then: newest first; each department sees its own
    expect(all.map((sheet) => sheet.sequence)).toEqual([2, 1]);
    expect(((await list('production')).body.items as Sheet[]).map((sheet) => sheet.facts.responsibleDepartment.id)).toEqual([t.org.departments.production]);
    const numbers = async (query: Record<string, string>) => ((await list('supervisor', query)).body.items as Sheet[]).map((sheet) => sheet.facts.responsibleDepartment.id);
    expect(await numbers({ response: 'given' })).toEqual([t.org.departments.facilities]);
    expect(await numbers({ response: 'due' })).toEqual([t.org.departments.production]);
    expect(await numbers({ response: 'overdue' })).toEqual([]);
    expect(await numbers({ department: t.org.departments.production, year: '2026' })).toEqual([t.org.departments.production]);
    expect(await numbers({ year: '2027' })).toEqual([]);
    // after the date, production's is overdue
    t.clock.set(at('2026-03-26T09:00:00'));
    expect(await numbers({ response: 'overdue' })).toEqual([t.org.departments.production]);
    expect(await numbers({ response: 'late' })).toEqual([]);
    expect(await numbers({ response: 'notAsked' })).toEqual([]);
    // a page at a time
    const first = await list('supervisor', { limit: '1' });
    expectDocumented((await t.http().get('/docs-json')).body as OpenApiDocument, first, 'GET', '/sheets');
    expect(first.body.nextCursor).toBe(first.body.items[0].id);
    const second = await list('supervisor', { limit: '1', after: first.body.nextCursor });
    expect({ next: second.body.nextCursor, sequences: [first.body.items[0].sequence, second.body.items[0].sequence] }).toEqual({ next: null, sequences: [2, 1] });
  });

  it('refuses filters out of range', async () => {
    const refused: Array<Record<string, string>> = [{ response: 'soon' }, { year: '99' }, { limit: '0' }, { limit: '201' }, { after: 'x' }, { department: 'facilities' }];
    for (const query of refused) {
      expectApiError(await list('supervisor', query), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('Sheet numbers when escalations commit at once', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('numbers them one after the other, none twice and none skipped (concurrent transactions on PostgreSQL)', async () => {
    // given eight overdue problems of one organisation, due at the same instant
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    t.clock.set(at('2026-03-02T09:00:00'));
    const ids: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      const id = (await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title: `同时逾期 ${index}`, inspectionRef: 'INSP-SHEET-3' }))).body.id as string;
      const assigned = await t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' }).send({ type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
      expect(assigned.status).toBe(200);
      ids.push(id);
    }
    t.clock.set(at('2026-03-20T18:00:01'));

    // when every due timer is fired at once, round after round (the deadline passes, then the first step escalates)
    const problems = t.app.get(ProblemRepository);
    const engine = t.app.get(RectificationEngine);
    for (let round = 0; round < 4; round += 1) {
      const claimed = await problems.claimDueTimers(t.clock.now().toISOString(), 100, `test-${round}`, new Date(t.clock.now().getTime() + 60_000).toISOString());
      if (claimed.length === 0) break;
      await Promise.all(claimed.map((problem) => engine.fireLeasedTimer(problem)));
    }

    // then each has its sheet, and the eight numbers are 1 to 8
    const sheets = await Promise.all(ids.map(async (id) => (await t.http().get(`/problems/${id}/sheets`).auth(t.tokens.supervisor, { type: 'bearer' })).body.items as Sheet[]));
    expect(sheets.map((items) => items.length)).toEqual(ids.map(() => 1));
    expect(sheets.map(([sheet]) => sheet.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
