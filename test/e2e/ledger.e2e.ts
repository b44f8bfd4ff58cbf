import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/binary-body.js';


const DEADLINE = '2026-03-20T18:00:00+08:00'; // Friday 20 March, 18:00 Shanghai
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('The rectification ledger (台账) and its summary, over HTTP', () => {
  let t: TestApp;
  const ids: Record<'onTime' | 'extended' | 'late' | 'overdue' | 'open' | 'cancelled' | 'handedIn', string> = {} as never;

  const as = (role: keyof TestApp['tokens']) => ({
    send: async (id: string, body: Record<string, unknown>) => {
      const response = await t.http().post(`/problems/${id}/events`).auth(t.tokens[role], { type: 'bearer' }).send(body);
      if (response.status !== 200) throw new Error(`${role} ${String(body.type)} → ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    },
    file: async (overrides: Record<string, unknown>) => {
      const response = await t.http().post('/problems').auth(t.tokens[role], { type: 'bearer' }).send(aFiling(overrides));
      expect(response.status).toBe(201);
      return response.body.id as string;
    },
    get: (path: string, query: Record<string, string> = {}) => t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query),
    download: (path: string, query: Record<string, string>) =>
      t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query).buffer(true).parse(binary),
  });

  /**
   * The fixture, in the order things happen (one clock for all). Facilities gets five problems due Friday 20 March
   * 18:00; production one due 30 April; one is cancelled. Today is Tuesday 31 March, 10:00.
   */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    const inspector = as('inspector');
    const facilities = as('facilities');
    const supervisor = as('supervisor');
    const production = as('production');
    const plan = { type: 'START', measures: 'Move the pallets', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };

    t.clock.set(at('2026-03-02T09:00:00'));
    ids.onTime = await inspector.file({ title: '消防通道堵塞, 东侧\n第二处', inspectionRef: 'INSP-LEDGER-1' });
    ids.extended = await inspector.file({ title: '灭火器过期', inspectionRef: 'INSP-LEDGER-1' });
    ids.late = await inspector.file({ title: '应急照明损坏', inspectionRef: 'INSP-LEDGER-1', severity: 'critical' });
    ids.overdue = await inspector.file({ title: '配电箱未上锁', inspectionRef: 'INSP-LEDGER-1' });
    ids.handedIn = await inspector.file({ title: '安全标识缺失', inspectionRef: 'INSP-LEDGER-1' });
    ids.cancelled = await inspector.file({ title: '重复登记', inspectionRef: 'INSP-LEDGER-1' });
    for (const id of [ids.onTime, ids.extended, ids.late, ids.overdue, ids.handedIn]) {
      await inspector.send(id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
      await facilities.send(id, plan);
    }
    await inspector.send(ids.cancelled, { type: 'CANCEL', reason: 'Duplicate finding' });

    t.clock.set(at('2026-03-05T10:00:00'));
    ids.open = await inspector.file({ title: '货架超载', inspectionRef: 'INSP-LEDGER-2', severity: 'general' });
    await inspector.send(ids.open, { type: 'ASSIGN', departmentId: t.org.departments.production, deadline: '2026-04-30T18:00:00+08:00' });
    await production.send(ids.open, { ...plan, responsiblePerson: '李强', plannedCompletionDate: '2026-04-20' });
    await production.send(ids.open, { type: 'REPORT_PROGRESS', note: '已订购货架, 四月到货\n第二批 "加急"', percent: 40 });

    t.clock.set(at('2026-03-10T10:00:00'));
    await facilities.send(ids.onTime, { type: 'SUBMIT', summary: 'Exit cleared' });
    await facilities.send(ids.extended, { type: 'REQUEST_EXTENSION', reason: 'New extinguishers on order', proposedDeadline: '2026-04-10T18:00:00+08:00' });
    await supervisor.send(ids.extended, { type: 'APPROVE_EXTENSION', comment: 'Agreed' });
    t.clock.set(at('2026-03-11T10:00:00'));
    await inspector.send(ids.onTime, { type: 'APPROVE', comment: 'Checked' });
    t.clock.set(at('2026-03-12T10:00:00'));
    await supervisor.send(ids.onTime, { type: 'CLOSE', comment: '销号' });
    t.clock.set(at('2026-03-18T10:00:00'));
    await facilities.send(ids.late, { type: 'SUBMIT', summary: 'Lights replaced' });
    t.clock.set(at('2026-03-19T10:00:00'));
    await inspector.send(ids.late, { type: 'REJECT', reason: 'Two lights still dark' });
    await facilities.send(ids.handedIn, { type: 'SUBMIT', summary: 'Signs put up' });
    t.clock.set(at('2026-03-24T10:00:00'));
    await facilities.send(ids.late, { type: 'SUBMIT', summary: 'All lights replaced' });
    t.clock.set(at('2026-03-25T10:00:00'));
    await facilities.send(ids.extended, { type: 'SUBMIT', summary: 'Extinguishers replaced' });
    await inspector.send(ids.late, { type: 'APPROVE', comment: 'Checked' });
    t.clock.set(at('2026-03-26T10:00:00'));
    await inspector.send(ids.extended, { type: 'APPROVE', comment: 'Checked' });
    await supervisor.send(ids.late, { type: 'CLOSE', comment: '销号' });
    t.clock.set(at('2026-03-27T10:00:00'));
    await supervisor.send(ids.extended, { type: 'CLOSE', comment: '销号' });

    t.clock.set(at('2026-03-31T10:00:00'));
    // The machine's own clock agrees: the deadline passed for the problem still in progress.
    await t.app.get(DeadlineScheduler).sweep();
    expect((await as('admin').get(`/problems/${ids.overdue}`)).body.deadlineState).toMatch(/overdue|escalated/);
  });
  afterAll(async () => {
    await t?.close();
  });

  const rowsOf = (response: Response) => new Map((response.body.items as Array<{ id: string }>).map((row) => [row.id, row]));

  it('gives each problem its outcome, days overdue (working days), dates and work figures', async () => {
    // when
    const response = await as('supervisor').get('/ledger');

    // then
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    const rows = rowsOf(response);
    expect(rows.size).toBe(7);
    const facilities = { departmentId: t.org.departments.facilities, department: expect.any(String), responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };
    expect(rows.get(ids.onTime)).toMatchObject({
      ...facilities,
      inspection: 'INSP-LEDGER-1',
      title: '消防通道堵塞, 东侧\n第二处',
      location: 'Warehouse 3, east exit',
      category: 'fire-safety',
      severity: 'major',
      foundAt: at('2026-03-02T09:00:00'),
      originalDeadline: at('2026-03-20T18:00:00'),
      deadline: at('2026-03-20T18:00:00'),
      extensions: 0,
      state: 'closed',
      daysOverdue: 0,
      reworkRounds: 0,
      completedAt: at('2026-03-10T10:00:00'),
      closedAt: at('2026-03-12T10:00:00'),
      workingDaysToClose: 8,
      outcome: 'on time',
      repeatOf: null,
    });
    expect(rows.get(ids.extended)).toMatchObject({
      ...facilities,
      originalDeadline: at('2026-03-20T18:00:00'),
      deadline: at('2026-04-10T18:00:00'),
      extensions: 1,
      daysOverdue: 0,
      completedAt: at('2026-03-25T10:00:00'),
      closedAt: at('2026-03-27T10:00:00'),
      workingDaysToClose: 19,
      outcome: 'on time after extension',
    });
    // the last submission (24 March) counts, not the first one that verification sent back
    expect(rows.get(ids.late)).toMatchObject({
      severity: 'critical',
      reworkRounds: 1,
      daysOverdue: 2,
      completedAt: at('2026-03-24T10:00:00'),
      closedAt: at('2026-03-26T10:00:00'),
      workingDaysToClose: 18,
      outcome: 'late',
    });
    expect(rows.get(ids.overdue)).toMatchObject({ state: 'rectifying', daysOverdue: 7, closedAt: null, workingDaysToClose: null, outcome: 'open and overdue' });
    // handed in before the deadline, verification has not got to it: not held against the department
    expect(rows.get(ids.handedIn)).toMatchObject({ stateDetail: 'rectifying.awaitingVerification', daysOverdue: 0, outcome: 'open' });
    expect(rows.get(ids.open)).toMatchObject({
      departmentId: t.org.departments.production,
      responsiblePerson: '李强',
      plannedCompletionDate: '2026-04-20',
      latestProgress: { note: '已订购货架, 四月到货\n第二批 "加急"', percent: 40, at: at('2026-03-05T10:00:00') },
      daysOverdue: 0,
      outcome: 'open',
    });
    expect(rows.get(ids.cancelled)).toMatchObject({ state: 'cancelled', departmentId: null, daysOverdue: null, outcome: 'cancelled' });
  });

  it('sums up per department and per inspection, with the on-time rate over closed problems', async () => {
    // when
    const response = await as('supervisor').get('/ledger/summary');

    // then
    expect(response.status).toBe(200);
    expect(response.body.onTimeRateDefinition).toMatch(/closed/);
    expect(response.body.all).toEqual({
      groupBy: 'all', key: null, name: 'all',
      total: 7, closed: 3, open: 3, overdue: 1, cancelled: 1, onTime: 1, onTimeAfterExtension: 1, late: 1,
      onTimeRate: 0.6667, onTimeRateDenominator: 3, averageWorkingDaysToClose: 15, extensions: 1, reworkRounds: 1,
    });
    const byDepartment = new Map((response.body.byDepartment as Array<{ key: string | null }>).map((group) => [group.key, group]));
    expect(byDepartment.get(t.org.departments.facilities)).toMatchObject({
      total: 5, closed: 3, open: 2, overdue: 1, cancelled: 0, onTime: 1, onTimeAfterExtension: 1, late: 1,
      onTimeRate: 0.6667, onTimeRateDenominator: 3, averageWorkingDaysToClose: 15, extensions: 1, reworkRounds: 1,
    });
    expect(byDepartment.get(t.org.departments.production)).toMatchObject({
      total: 1, closed: 0, open: 1, overdue: 0, onTimeRate: null, onTimeRateDenominator: 0, averageWorkingDaysToClose: null,
    });
    expect(byDepartment.get(null)).toMatchObject({ name: 'unassigned', total: 1, cancelled: 1 });
    expect(response.body.byInspection.map((group: { key: string; total: number; closed: number }) => [group.key, group.total, group.closed])).toEqual([
      ['INSP-LEDGER-1', 6, 3],
      ['INSP-LEDGER-2', 1, 0],
    ]);
  });

  it('keeps to the caller\'s scope: a department sees its own rows, a supervisor the subtree', async () => {
    const listed = async (role: keyof TestApp['tokens']) => [...rowsOf(await as(role).get('/ledger')).keys()].sort();
    expect(await listed('facilities')).toEqual([ids.onTime, ids.extended, ids.late, ids.overdue, ids.handedIn].sort());
    expect(await listed('production')).toEqual([ids.open]);
    expect(await listed('supervisor')).toEqual(Object.values(ids).sort());
    const production = await as('production').get('/ledger/summary');
    expect(production.body.all).toMatchObject({ total: 1, open: 1 });
    expect(production.body.byDepartment.map((group: { key: string }) => group.key)).toEqual([t.org.departments.production]);
  });

  it('filters by inspection, department, severity, state and found-date period', async () => {
    const listed = async (query: Record<string, string>) => [...rowsOf(await as('supervisor').get('/ledger', query)).keys()].sort();
    expect(await listed({ inspection: 'INSP-LEDGER-2' })).toEqual([ids.open]);
    expect(await listed({ department: t.org.departments.production })).toEqual([ids.open]);
    expect(await listed({ severity: 'critical' })).toEqual([ids.late]);
    expect(await listed({ state: 'closed' })).toEqual([ids.onTime, ids.extended, ids.late].sort());
    // the period is of found dates, whole days in the business calendar's zone
    expect(await listed({ from: '2026-03-03' })).toEqual([ids.open]);
    expect(await listed({ to: '2026-03-02' })).toHaveLength(6);
    expect(await listed({ from: '2026-03-05', to: '2026-03-05' })).toEqual([ids.open]);
    const summary = await as('supervisor').get('/ledger/summary', { state: 'closed' });
    expect(summary.body.all).toMatchObject({ total: 3, onTimeRate: 0.6667 });
    expectApiError(await as('supervisor').get('/ledger', { from: '2026-02-30' }), 400, 'VALIDATION_FAILED');
    expectApiError(await as('supervisor').get('/ledger', { format: 'pdf' }), 400, 'VALIDATION_FAILED');
  });

  it('pages the JSON ledger by cursor, oldest first', async () => {
    const first = await as('supervisor').get('/ledger', { limit: '4' });
    const second = await as('supervisor').get('/ledger', { limit: '4', cursor: first.body.nextCursor });
    expect(first.body.items).toHaveLength(4);
    expect(second.body).toMatchObject({ nextCursor: null });
    const all = [...first.body.items, ...second.body.items].map((row: { id: string }) => row.id);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(7);
  });

  it('exports CSV as UTF-8 with a BOM, Chinese headers, and commas, quotes and line breaks quoted', async () => {
    // when
    const response = await as('supervisor').download('/ledger', { format: 'csv' });

    // then
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ledger.csv"');
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('"消防通道堵塞, 东侧\n第二处"');
    expect(text).toContain('已订购货架, 四月到货\n第二批 ""加急"" (40%)"');
    const records = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    const [headers, ...rows] = records;
    expect(headers.slice(0, 7)).toEqual(['编号', '检查', '问题', '地点', '类别', '严重程度', '责任部门']);
    expect(rows).toHaveLength(7);
    const byId = new Map(rows.map((row) => [row[0], Object.fromEntries(headers.map((header, i) => [header, row[i]]))]));
    expect(byId.get(ids.onTime)).toMatchObject({
      问题: '消防通道堵塞, 东侧\n第二处',
      严重程度: '较大',
      责任人: '王芳',
      发现日期: '2026-03-02 09:00',
      原定期限: '2026-03-20 18:00',
      当前期限: '2026-03-20 18:00',
      状态: '已销号',
      销号日期: '2026-03-12 10:00',
      结果: '按期完成',
    });
    expect(byId.get(ids.extended)).toMatchObject({ 当前期限: '2026-04-10 18:00', 延期次数: '1', 结果: '延期后按期完成' });
    expect(byId.get(ids.late)).toMatchObject({ 逾期工作日: '2', 返工次数: '1', 结果: '逾期完成' });
    expect(byId.get(ids.overdue)).toMatchObject({ 逾期工作日: '7', 结果: '逾期未完成' });
    expect(byId.get(ids.open)).toMatchObject({ 最新进展: '2026-03-05 10:00 已订购货架, 四月到货\n第二批 "加急" (40%)' });
  });

  it('exports CSV with English headers and labels on request, and the summary as CSV', async () => {
    const ledger = await as('supervisor').download('/ledger', { format: 'csv', lang: 'en' });
    const [headers] = parse(ledger.body as Buffer, { bom: true }) as string[][];
    expect(headers).toEqual(expect.arrayContaining(['ID', 'Inspection', 'Department', 'Outcome', 'Working days overdue', 'Repeat of']));
    expect((ledger.body as Buffer).toString('utf8')).toContain('on time after extension');

    const summary = await as('supervisor').download('/ledger/summary', { format: 'csv' });
    expect(summary.headers['content-disposition']).toBe('attachment; filename="ledger-summary.csv"');
    const [summaryHeaders, all] = parse(summary.body as Buffer, { bom: true }) as string[][];
    expect(summaryHeaders.slice(0, 4)).toEqual(['分组', '名称', '总数', '已销号']);
    expect(all.slice(0, 4)).toEqual(['合计', '合计', '7', '3']);
  });

  it('exports XLSX that exceljs reads back: headers and cells', async () => {
    // when
    const response = await as('supervisor').download('/ledger', { format: 'xlsx' });

    // then
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as never);
    const sheet = workbook.getWorksheet('整改台账')!;
    expect(sheet).toBeDefined();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['编号', '检查', '问题']);
    expect(sheet.rowCount).toBe(8);
    const column = (name: string) => headers.indexOf(name) + 1;
    const rowOf = (id: string) => {
      for (let r = 2; r <= sheet.rowCount; r += 1) if (sheet.getRow(r).getCell(1).value === id) return sheet.getRow(r);
      throw new Error(`no row for ${id}`);
    };
    expect(rowOf(ids.onTime).getCell(column('问题')).value).toBe('消防通道堵塞, 东侧\n第二处');
    expect(rowOf(ids.late).getCell(column('逾期工作日')).value).toBe(2);
    expect(rowOf(ids.late).getCell(column('结果')).value).toBe('逾期完成');
    expect(rowOf(ids.extended).getCell(column('延期次数')).value).toBe(1);

    const summary = await as('supervisor').download('/ledger/summary', { format: 'xlsx', lang: 'en' });
    const summaryBook = new ExcelJS.Workbook();
    await summaryBook.xlsx.load(summary.body as never);
    const summarySheet = summaryBook.getWorksheet('Summary')!;
    expect((summarySheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Group by', 'Name', 'Total']);
    expect((summarySheet.getRow(2).values as unknown[]).slice(1, 4)).toEqual(['all', 'all', 7]);
  });
});

describe('Ledger exports and formula injection (CSV)', () => {
  let t: TestApp;
  /** What a department user may plant through START's responsiblePerson, each a formula in a spreadsheet. */
  const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd'];
  const planted = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    const call = (token: string, path: string, body: Record<string, unknown>) => t.http().post(path).auth(token, { type: 'bearer' }).send(body);
    for (const [index, person] of FORMULAS.entries()) {
      const filed = await call(t.tokens.inspector, '/problems', aFiling({ title: `Formula ${index}`, inspectionRef: 'INSP-FORMULA' }));
      expect(filed.status).toBe(201);
      const id = filed.body.id as string;
      const assigned = await call(t.tokens.inspector, `/problems/${id}/events`, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: DEADLINE });
      expect(assigned.status).toBe(200);
      const started = await call(t.tokens.facilities, `/problems/${id}/events`, {
        type: 'START', measures: 'Move the pallets', responsiblePerson: person, plannedCompletionDate: '2026-03-18',
      });
      expect(started.status).toBe(200);
      planted.set(id, person);
    }
    // a line break alone (no comma, no quote) must be quoted too, or the text after it starts a new row
    const stacked = await call(t.tokens.inspector, '/problems', aFiling({ title: 'Stacked\n=1+1', inspectionRef: 'INSP-FORMULA' }));
    expect(stacked.status).toBe(201);
    // and a department whose name starts like a formula, for the summary
    const department = await call(t.tokens.admin, '/admin/departments', { name: '=1+2 Stores', parentId: t.org.departments.office });
    expect(department.status).toBe(201);
    const assigned = await call(t.tokens.inspector, `/problems/${stacked.body.id}/events`, { type: 'ASSIGN', departmentId: department.body.id, deadline: DEADLINE });
    expect(assigned.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const download = (query: Record<string, string>) =>
    t.http().get('/ledger').auth(t.tokens.supervisor, { type: 'bearer' }).query(query).buffer(true).parse(binary);

  it('writes a cell that starts like a formula with a leading single quote, the field quoted', async () => {
    // when
    const response = await download({ format: 'csv', lang: 'en' });

    // then
    expect(response.status).toBe(200);
    const text = (response.body as Buffer).toString('utf8');
    for (const person of FORMULAS) expect(text).toContain(`"'${person.replaceAll('"', '""')}"`);
    const [headers, ...rows] = parse(response.body as Buffer, { bom: true }) as string[][];
    const column = headers.indexOf('Responsible person');
    const written = new Map(rows.map((row) => [row[0], row[column]]));
    for (const [id, person] of planted) expect(written.get(id)).toBe(`'${person}`);
    expect(rows).toHaveLength(FORMULAS.length + 1);
    expect(rows.map((row) => row[headers.indexOf('Problem')])).toContain('Stacked\n=1+1');
    expect(text).toContain('"Stacked\n=1+1"');
    // no field anywhere in the file starts a formula
    for (const field of rows.flat()) expect(field).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises the summary CSV too', async () => {
    // when
    const response = await t.http().get('/ledger/summary').auth(t.tokens.supervisor, { type: 'bearer' }).query({ format: 'csv', lang: 'en' }).buffer(true).parse(binary);

    // then
    expect(response.status).toBe(200);
    expect((response.body as Buffer).toString('utf8')).toContain(`"'=1+2 Stores"`);
    const names = (parse(response.body as Buffer, { bom: true }) as string[][]).map((row) => row[1]);
    expect(names).toContain("'=1+2 Stores");
  });

  it('keeps JSON as stored', async () => {
    const response = await t.http().get('/ledger').auth(t.tokens.supervisor, { type: 'bearer' });
    const byId = new Map((response.body.items as Array<{ id: string; responsiblePerson: string }>).map((row) => [row.id, row.responsiblePerson]));
    for (const [id, person] of planted) expect(byId.get(id)).toBe(person);
  });

  it('keeps XLSX cells as the raw text, typed as strings and never as formulas', async () => {
    // when
    const response = await download({ format: 'xlsx', lang: 'en' });

    // then
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as never);
    const sheet = workbook.getWorksheet('Ledger')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = headers.indexOf('Responsible person') + 1;
    const seen = new Map<string, { value: unknown; type: number; formula: unknown }>();
    for (let r = 2; r <= sheet.rowCount; r += 1) {
      const cell = sheet.getRow(r).getCell(column);
      seen.set(sheet.getRow(r).getCell(1).value as string, { value: cell.value, type: cell.type, formula: cell.formula });
    }
    for (const [id, person] of planted) {
      // XML reads a bare CR as LF (XML 1.0 end-of-line handling) and exceljs writes it unescaped: that is the
      // only change, and it is not a formula matter
      expect(seen.get(id)).toEqual({ value: person.replace(/\r/g, '\n'), type: ExcelJS.ValueType.String, formula: undefined });
    }
  });
});
