import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/binary-body.js';

const DEADLINE = '2026-03-20T18:00:00+08:00'; // Friday 20 March, 18:00 Shanghai
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

interface RankingRow {
  departmentId: string;
  rank: number;
  list: string | null;
  listReasons: string[];
  [figure: string]: unknown;
}

describe('The department ranking (部门排名) and its red, yellow and black lists (红黄黑榜), over HTTP', () => {
  let t: TestApp;

  const as = (role: keyof TestApp['tokens']) => ({
    send: async (id: string, body: Record<string, unknown>) => {
      const response = await t.http().post(`/problems/${id}/events`).auth(t.tokens[role], { type: 'bearer' }).send(body);
      if (response.status !== 200) throw new Error(`${role} ${String(body.type)} → ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    },
    file: async (title: string) => {
      const response = await t.http().post('/problems').auth(t.tokens[role], { type: 'bearer' }).send(aFiling({ title, inspectionRef: 'INSP-RANK-1' }));
      expect(response.status).toBe(201);
      return response.body.id as string;
    },
    get: (path: string, query: Record<string, string> = {}) => t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query),
    download: (path: string, query: Record<string, string>) =>
      t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query).buffer(true).parse(binary),
  });

  const ranking = async (role: keyof TestApp['tokens'], query: Record<string, string> = {}) => {
    const response = await as(role).get('/ledger/ranking', query);
    expect(response.status).toBe(200);
    return response.body as { departments: RankingRow[]; thresholds: Record<string, unknown>; policy: { version: number }; from: string | null; to: string | null };
  };
  const rowOf = (rows: RankingRow[], department: 'facilities' | 'production') => rows.find((row) => row.departmentId === t.org.departments[department])!;

  /**
   * In March, facilities gets three problems due Friday 20 March: one closed on time, one closed on time only after an
   * extension, one left overdue until its clock escalated twice; production two, both closed on time; one is never
   * assigned. In April facilities closes one more on time. Today is Friday 3 April.
   */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    const inspector = as('inspector');
    const facilities = as('facilities');
    const production = as('production');
    const supervisor = as('supervisor');
    const plan = { type: 'START', measures: 'Do it', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };
    const close = async (id: string, department: typeof facilities) => {
      await department.send(id, { type: 'SUBMIT', summary: 'Done' });
      await inspector.send(id, { type: 'APPROVE', comment: 'Checked' });
      await supervisor.send(id, { type: 'CLOSE', comment: '销号' });
    };

    t.clock.set(at('2026-03-02T09:00:00'));
    const onTime = await inspector.file('消防通道堵塞');
    const extended = await inspector.file('灭火器过期');
    const overdue = await inspector.file('配电箱未上锁');
    const productionFirst = await inspector.file('货架超载');
    const productionSecond = await inspector.file('叉车无证驾驶');
    await inspector.file('未分派的问题');
    for (const id of [onTime, extended, overdue]) {
      await inspector.send(id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
      await facilities.send(id, plan);
    }
    for (const id of [productionFirst, productionSecond]) {
      await inspector.send(id, { type: 'ASSIGN', departmentId: t.org.departments.production, deadline: DEADLINE });
      await production.send(id, plan);
    }

    t.clock.set(at('2026-03-10T10:00:00'));
    await close(onTime, facilities);
    await close(productionFirst, production);
    await close(productionSecond, production);
    await facilities.send(extended, { type: 'REQUEST_EXTENSION', reason: 'Parts on order', proposedDeadline: '2026-04-10T18:00:00+08:00' });
    await supervisor.send(extended, { type: 'APPROVE_EXTENSION', comment: 'Agreed' });

    // The overdue one's clock: passed on the 20th, escalated at once (step 1) and three working days later (step 2).
    for (const local of ['2026-03-20T18:00:01', '2026-03-25T18:00:01']) {
      t.clock.set(at(local));
      for (let sweep = 0; sweep < 3; sweep += 1) await t.app.get(DeadlineScheduler).sweep();
    }
    expect((await as('admin').get(`/problems/${overdue}`)).body).toMatchObject({ deadlineState: 'escalated' });
    // handed in and sent back: the rework round restarts the clock (its level back to 0), the escalation stays counted
    t.clock.set(at('2026-03-26T10:00:00'));
    await facilities.send(overdue, { type: 'SUBMIT', summary: 'Locked' });
    await inspector.send(overdue, { type: 'REJECT', reason: 'Still open' });
    const ledger = (await as('admin').get('/ledger', { text: '配电箱未上锁' })).body.items;
    expect(ledger).toMatchObject([{ id: overdue, highestEscalationLevel: 2, reworkRounds: 1, outcome: 'open and overdue' }]);

    t.clock.set(at('2026-03-30T10:00:00'));
    await close(extended, facilities);

    t.clock.set(at('2026-04-01T09:00:00'));
    const april = await inspector.file('安全标识缺失');
    await inspector.send(april, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-04-20T18:00:00+08:00' });
    await facilities.send(april, plan);
    t.clock.set(at('2026-04-02T10:00:00'));
    await close(april, facilities);
    t.clock.set(at('2026-04-03T10:00:00'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ranks the departments of a period, reporting the on-time rate against the original deadline apart from the one with extensions', async () => {
    // when
    const body = await ranking('supervisor', MARCH);

    // then
    expect(body).toMatchObject({ from: '2026-03-01', to: '2026-03-31', policy: { version: 1 }, thresholds: { blackBelowOnTimeRate: 0.6 } });
    expect(body.departments.map((row) => row.departmentId)).toEqual([t.org.departments.production, t.org.departments.facilities]);
    expect(rowOf(body.departments, 'production')).toMatchObject({
      rank: 1, list: 'red', listReasons: ['onTimeRate'], received: 2, closed: 2, onTimeOriginal: 2, onTimeRateOriginal: 1, overdue: 0, escalated: 0,
    });
    // Half on time against the original deadline: black, though every closed one was on time once extended.
    expect(rowOf(body.departments, 'facilities')).toMatchObject({
      rank: 2,
      list: 'black',
      listReasons: ['onTimeRate'],
      received: 3,
      closed: 2,
      open: 1,
      onTimeOriginal: 1,
      onTimeAfterExtension: 1,
      late: 0,
      overdue: 1,
      escalated: 1,
      onTimeRateOriginal: 0.5,
      onTimeRateWithExtensions: 1,
      extensions: 1,
      reworkRounds: 1,
    });
  });

  it('counts every found date without a period: the April problem lifts facilities from the black list to the yellow', async () => {
    const body = await ranking('supervisor');
    expect(body).toMatchObject({ from: null, to: null });
    expect(rowOf(body.departments, 'facilities')).toMatchObject({
      received: 4, closed: 3, onTimeOriginal: 2, onTimeRateOriginal: 0.6667, list: 'yellow', listReasons: ['onTimeRate', 'overdue'],
    });
  });

  it('shows a department only its own figures', async () => {
    const body = await ranking('production', MARCH);
    expect(body.departments.map((row) => row.departmentId)).toEqual([t.org.departments.production]);
  });

  it('exports CSV with Chinese headers and the lists in words, and XLSX in English', async () => {
    const csv = await as('supervisor').download('/ledger/ranking', { ...MARCH, format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="ranking.csv"');
    const [headers, first, second] = parse(csv.body as Buffer, { bom: true }) as string[][];
    expect(headers.slice(0, 5)).toEqual(['排名', '部门', '榜单', '上榜原因', '收到']);
    expect(headers).toEqual(expect.arrayContaining(['按期率（原定期限）', '按期率（含延期）', '升级督办']));
    expect([first[0], first[2], second[0], second[2], second[3]]).toEqual(['1', '红榜', '2', '黑榜', '按期率']);
    expect(second[headers.indexOf('按期率（原定期限）')]).toBe('0.5');

    const xlsx = await as('supervisor').download('/ledger/ranking', { ...MARCH, format: 'xlsx', lang: 'en' });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.getWorksheet('Ranking')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Rank', 'Department', 'List']);
    expect(sheet.getRow(3).getCell(3).value).toBe('black list');
    expect(sheet.rowCount).toBe(3);
  });

  it('refuses a period or format it cannot read, with the field named', async () => {
    expectApiError(await as('supervisor').get('/ledger/ranking', { from: '2026-13-01' }), 400, 'VALIDATION_FAILED');
    expectApiError(await as('supervisor').get('/ledger/ranking', { format: 'pdf' }), 400, 'VALIDATION_FAILED');
  });

  it('lists by the thresholds of the deadline policy in force: a version that blacklists at one escalation', async () => {
    // given
    const current = (await as('admin').get('/deadline-policy')).body.policy;
    const { id: _id, version, ...draft } = current;
    const thresholds = { ...draft.ranking, blackFromEscalated: 1, blackBelowOnTimeRate: 0.4 };

    // when
    const published = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' })
      .send({ basedOnVersion: version, note: '升级督办即上黑榜', policy: { ...draft, ranking: thresholds } });

    // then
    expect(published.status).toBe(201);
    expect(published.body.policy.ranking).toEqual(thresholds);
    const body = await ranking('supervisor', MARCH);
    expect(body).toMatchObject({ policy: { version: version + 1 }, thresholds });
    expect(rowOf(body.departments, 'facilities')).toMatchObject({ list: 'black', listReasons: ['escalated'] });
    // a version that leaves the thresholds out keeps those in force
    const { ranking: _kept, ...withoutRanking } = draft;
    const next = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' })
      .send({ basedOnVersion: version + 1, policy: { ...withoutRanking, verificationWorkingDays: draft.verificationWorkingDays + 1 } });
    expect(next.status).toBe(201);
    expect(next.body.policy.ranking).toEqual(thresholds);
  });

  it('refuses thresholds out of range, naming each field, and publishes nothing', async () => {
    const current = (await as('admin').get('/deadline-policy')).body.policy;
    const { id: _id, version, ...draft } = current;
    const response = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' })
      .send({ basedOnVersion: version, policy: { ...draft, ranking: { ...draft.ranking, redFromOnTimeRate: 95, yellowFromOverdue: 0 } } });
    expectApiError(response, 400, 'VALIDATION_FAILED');
    const fields = (response.body.details.fields as Array<{ field: string }>).map((field) => field.field);
    expect(fields).toEqual(expect.arrayContaining(['ranking.redFromOnTimeRate', 'ranking.yellowFromOverdue']));
    expect((await as('admin').get('/deadline-policy')).body.policy.version).toBe(version);
  });

  it('keeps a problem counted as escalated after it is reopened, whose clock starts afresh at level 0', async () => {
    // given a facilities problem escalated at its deadline, then closed and reopened
    const send = (role: keyof TestApp['tokens'], id: string, body: Record<string, unknown>) => as(role).send(id, body);
    t.clock.set(at('2026-04-03T10:00:00'));
    const id = await as('inspector').file('仓库门禁损坏');
    await send('inspector', id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-04-08T18:00:00+08:00' });
    await send('facilities', id, { type: 'START', measures: 'Repair', responsiblePerson: '王芳', plannedCompletionDate: '2026-04-08' });
    t.clock.set(at('2026-04-08T18:00:01'));
    for (let sweep = 0; sweep < 3; sweep += 1) await t.app.get(DeadlineScheduler).sweep();
    t.clock.set(at('2026-04-09T10:00:00'));
    await send('facilities', id, { type: 'SUBMIT', summary: 'Repaired' });
    await send('inspector', id, { type: 'APPROVE', comment: 'Checked' });
    await send('supervisor', id, { type: 'CLOSE', comment: '销号' });
    await send('supervisor', id, { type: 'REOPEN', reason: '门禁再次损坏' });

    // then the ledger still says how high it was escalated, from its supervision notices, and the ranking counts it
    const [row] = (await as('supervisor').get('/ledger', { text: '仓库门禁损坏' })).body.items;
    expect(row).toMatchObject({ id, state: 'rectifying', highestEscalationLevel: 1 });
    const april = rowOf((await ranking('supervisor', { from: '2026-04-01', to: '2026-04-30' })).departments, 'facilities');
    expect(april).toMatchObject({ received: 2, escalated: 1 });
  });
});
