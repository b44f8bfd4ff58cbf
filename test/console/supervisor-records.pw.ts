import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { headersOf, LEDGER_COLUMNS } from '#ledger';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, signIn } from './support/browser.js';
import { choose } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { api, fileProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

/** Five problems, one per way a ledger row can stand, in two departments and none. */
const CLOSED = '安全出口指示灯损坏'; // 设施部, closed well before its deadline: on time
const RECTIFYING = '灭火器压力不足'; // 设施部, being rectified, deadline weeks away: open
const OVERDUE = '配电柜门未上锁'; // 生产部, assigned with a deadline a few seconds ahead: open and overdue
const UNASSIGNED = '消防通道堆放杂物'; // found, not assigned yet
const CANCELLED = '重复登记的货架超载'; // cancelled by the inspector as a duplicate
const ALL = [CLOSED, RECTIFYING, OVERDUE, UNASSIGNED, CANCELLED];
const FACILITIES = '设施部';
const PRODUCTION = '生产部';
/** Past before the supervisor looks, yet later than "now" when it is given. */
const SHORT_DEADLINE_MS = 3_000;

interface LedgerRow {
  id: string;
  title: string;
  department: string | null;
  state: string;
  outcome: string;
}

/** The titles of the rows of the page's table (every row links to its problem by its title), sorted. */
async function rowTitles(page: Page): Promise<string[]> {
  const table = page.getByRole('main').getByRole('table');
  if ((await page.locator('.ant-spin-spinning').count()) > 0) throw new Error('still loading');
  return (await table.getByRole('link').allInnerTexts()).map((title) => title.trim()).sort();
}

/** A row of the main table, found by its problem's link. */
const rowOf = (page: Page, title: string): Locator =>
  page.getByRole('main').getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });

/** A row of a table in the page as column header → cell text (a cell's text is what a person reads in it). */
async function rowRecord(row: Locator): Promise<Record<string, string>> {
  const headers = await row.locator('xpath=ancestor::table[1]').getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cells).toHaveLength(headers.length);
  return Object.fromEntries(headers.map((header, index) => [header.trim(), cells[index].trim()]));
}

/** Clicks a download button and waits for the browser's download of it: its file name and its bytes. */
async function download(page: Page, name: string): Promise<{ file: string; bytes: Buffer }> {
  const started = page.waitForEvent('download');
  await page.getByRole('group', { name: t('supervision.ledger.downloads') }).getByRole('link', { name: button(name) }).click();
  const done: Download = await started;
  const path = await done.path();
  expect(await done.failure()).toBeNull();
  return { file: done.suggestedFilename(), bytes: readFileSync(path) };
}

/** A sheet's or CSV's records as header → cell text. */
function records(rows: string[][]): Array<Record<string, string>> {
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])));
}

/**
 * The supervising office's records: the ledger (台账) of every problem in its scope, narrowed by a filter and
 * downloaded as CSV and as Excel, each file holding the rows on the screen; and the overview, whose counts
 * lead to the problems behind them.
 */
describe("the supervisor's ledger and overview", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    const { inspector, supervisor, facilities } = organisation;
    for (const title of ALL) ids[title] = (await fileProblem(server, inspector, title)).id;

    await sendEvent(server, supervisor, ids[CLOSED], { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });
    await sendEvent(server, facilities, ids[CLOSED], { type: 'START', measures: '更换指示灯', responsiblePerson: '王芳', plannedCompletionDate: '2026-12-04' });
    await sendEvent(server, facilities, ids[CLOSED], { type: 'SUBMIT', summary: '指示灯已更换' });
    await sendEvent(server, inspector, ids[CLOSED], { type: 'APPROVE', comment: '复查合格' });
    await sendEvent(server, supervisor, ids[CLOSED], { type: 'CLOSE', comment: '同意销号' });

    await sendEvent(server, supervisor, ids[RECTIFYING], { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });
    await sendEvent(server, facilities, ids[RECTIFYING], { type: 'START', measures: '更换灭火器', responsiblePerson: '王芳', plannedCompletionDate: '2026-12-09' });

    await sendEvent(server, supervisor, ids[OVERDUE], {
      type: 'ASSIGN', departmentId: organisation.productionId, responsiblePerson: '陈杰', deadline: new Date(Date.now() + SHORT_DEADLINE_MS).toISOString(),
    });

    await sendEvent(server, inspector, ids[CANCELLED], { type: 'CANCEL', reason: '与前一条重复登记' });

    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the ledger counts each problem by how it stands: one on time, one open and overdue', async () => {
    // The deadline given a few seconds ahead has passed: the ledger holds it against now.
    await eventually(async () => {
      const { items } = await api<{ items: LedgerRow[] }>(server, organisation.supervisor.token, 'GET', '/ledger');
      expect(Object.fromEntries(items.map((row) => [row.title, row.outcome]))).toEqual({
        [CLOSED]: 'on time', [RECTIFYING]: 'open', [OVERDUE]: 'open and overdue', [UNASSIGNED]: 'open', [CANCELLED]: 'cancelled',
      });
    }, 20_000);
  }, 30_000);

  it('opens the ledger, filters it by department and sees only that department\'s rows', async () => {
    // given: the supervisor on the ledger, every problem listed
    await signIn(page, organisation.supervisor.username, organisation.supervisor.password);
    await page.getByRole('navigation').getByRole('link', { name: t('nav.ledger'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/ledger');
    await page.getByRole('heading', { level: 2, name: t('nav.ledger') }).waitFor();
    await eventually(async () => expect(await rowTitles(page)).toEqual([...ALL].sort()));
    const outcome = t('supervision.ledger.outcome');
    const department = t('problem.department');
    const state = t('problem.state');
    expect(await rowRecord(rowOf(page, CLOSED))).toEqual(
      expect.objectContaining({ [department]: FACILITIES, [state]: t('state.closed'), [outcome]: t('supervision.outcome.onTime') }),
    );
    // an open and overdue row is marked red (●) besides its words
    expect(await rowRecord(rowOf(page, OVERDUE))).toEqual(
      expect.objectContaining({ [department]: PRODUCTION, [state]: t('state.assigned'), [outcome]: `● ${t('supervision.outcome.openOverdue')}` }),
    );
    expect(await rowRecord(rowOf(page, UNASSIGNED))).toEqual(
      expect.objectContaining({ [department]: '—', [state]: t('state.found'), [outcome]: t('supervision.outcome.open') }),
    );
    expect(await rowRecord(rowOf(page, CANCELLED))).toEqual(expect.objectContaining({ [state]: t('state.cancelled'), [outcome]: t('supervision.outcome.cancelled') }));
    await audit.check(page, 'the ledger, unfiltered');

    // when: 责任部门 设施部, 搜索
    await choose(page, page, t('problem.department'), FACILITIES);
    await page.getByRole('main').getByRole('button', { name: button('app.search') }).click();

    // then: the filter is in the address, and only the department's two rows are left
    await page.waitForURL((url) => url.searchParams.get('department') === organisation.facilitiesId);
    await eventually(async () => expect(await rowTitles(page)).toEqual([CLOSED, RECTIFYING].sort()));
    expect(await rowRecord(rowOf(page, CLOSED))).toEqual(expect.objectContaining({ [department]: FACILITIES, [outcome]: t('supervision.outcome.onTime') }));
    expect(await rowRecord(rowOf(page, RECTIFYING))).toEqual(
      expect.objectContaining({ [department]: FACILITIES, [state]: t('state.rectifying'), [outcome]: t('supervision.outcome.open') }),
    );
    await audit.check(page, 'the ledger, filtered by department');
  }, 60_000);

  it('downloads the filtered ledger as CSV: UTF-8 with a BOM, the Chinese header, the filtered rows', async () => {
    // when
    const { file, bytes } = await download(page, 'supervision.ledger.csv');

    // then: a CSV a spreadsheet program opens with its Chinese intact
    expect(file).toBe('ledger.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).not.toContain('\ufffd');
    const rows = parse(text, { relaxColumnCount: false }) as string[][];
    expect(rows[0]).toEqual(headersOf(LEDGER_COLUMNS, 'zh'));
    expect(rows[0]).toEqual(expect.arrayContaining(['编号', '问题', '责任部门', '责任人', '状态', '结果']));

    // and: exactly the rows on the screen, in words
    const byTitle = new Map(records(rows).map((row) => [row['问题'], row]));
    expect([...byTitle.keys()].sort()).toEqual([CLOSED, RECTIFYING].sort());
    expect(byTitle.get(CLOSED)).toEqual(expect.objectContaining({ 编号: ids[CLOSED], 责任部门: FACILITIES, 责任人: '王芳', 状态: '已销号', 结果: '按期完成' }));
    expect(byTitle.get(RECTIFYING)).toEqual(expect.objectContaining({ 编号: ids[RECTIFYING], 责任部门: FACILITIES, 状态: '整改中', 结果: '未完成' }));
  }, 60_000);

  it('downloads the filtered ledger as Excel: one sheet, the header frozen over the filtered rows', async () => {
    // when
    const { file, bytes } = await download(page, 'supervision.ledger.xlsx');

    // then: a workbook exceljs opens, its one sheet named in Chinese
    expect(file).toBe('ledger.xlsx');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['整改台账']);
    const sheet = workbook.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      for (let column = 1; column <= LEDGER_COLUMNS.length; column += 1) {
        const value = row.getCell(column).value;
        cells.push(value === null || value === undefined ? '' : String(value));
      }
      rows.push(cells);
    });
    expect(rows[0]).toEqual(headersOf(LEDGER_COLUMNS, 'zh'));
    expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));

    // and: the same rows as the screen and the CSV
    const byTitle = new Map(records(rows).map((row) => [row['问题'], row]));
    expect([...byTitle.keys()].sort()).toEqual([CLOSED, RECTIFYING].sort());
    expect(byTitle.get(CLOSED)).toEqual(expect.objectContaining({ 编号: ids[CLOSED], 责任部门: FACILITIES, 状态: '已销号', 结果: '按期完成', 延期次数: '0' }));
    expect(byTitle.get(RECTIFYING)).toEqual(expect.objectContaining({ 编号: ids[RECTIFYING], 责任部门: FACILITIES, 状态: '整改中', 结果: '未完成' }));
  }, 60_000);

  /** The figure of the overview's card whose title is this text (a link or not). */
  const figure = async (title: string) => {
    const card = page.getByRole('main').locator('.ant-card').filter({ has: page.locator('.ant-statistic-title', { hasText: new RegExp(`^${title}$`) }) });
    return (await card.locator('.ant-statistic-content').innerText()).trim();
  };

  it("the overview's count of closed problems leads to the problem list filtered to them", async () => {
    // given: the overview, its counts in
    await page.getByRole('navigation').getByRole('link', { name: t('nav.overview'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/overview');
    await page.getByRole('heading', { level: 2, name: t('nav.overview') }).waitFor();
    await eventually(async () => {
      expect(await figure(t('supervision.overview.total'))).toBe('5');
      expect(await figure(t('state.closed'))).toBe('1');
      expect(await figure(t('state.rectifying'))).toBe('1');
      expect(await figure(t('state.assigned'))).toBe('1');
      expect(await figure(t('state.found'))).toBe('1');
      expect(await figure(t('state.cancelled'))).toBe('1');
      expect(await figure(t('state.verified'))).toBe('0');
      // the ledger's own figures: one open and overdue, and the one closed was on time
      expect(await figure(t('supervision.overview.openOverdue'))).toBe('1');
      expect(await figure(t('supervision.overview.onTimeRate'))).toBe('100.0%');
    });
    await audit.check(page, 'the overview');

    // when: the 已销号 count's title
    await page.getByRole('main').getByRole('link', { name: t('state.closed'), exact: true }).click();

    // then: the problem list with the state filter in the address, the one closed problem in it
    await page.waitForURL((url) => url.pathname === '/problems' && url.searchParams.get('state') === 'closed');
    await page.getByRole('heading', { level: 2, name: t('nav.problems') }).waitFor();
    await eventually(async () => expect(await rowTitles(page)).toEqual([CLOSED]));
    await rowOf(page, CLOSED).getByRole('cell', { name: t('state.closed'), exact: true }).waitFor();
    await audit.check(page, 'the problem list, closed ones');
  }, 60_000);

  it("the overview's department figures lead to the problem list of that department", async () => {
    // given: the overview's department table, the production department with its one overdue problem
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/overview');
    const production = page.getByRole('main').getByRole('row').filter({ has: page.getByRole('link', { name: PRODUCTION, exact: true }) });
    const facilities = page.getByRole('main').getByRole('row').filter({ has: page.getByRole('link', { name: FACILITIES, exact: true }) });
    const figures = async (row: Locator) => {
      const record = await rowRecord(row);
      return ['supervision.count.total', 'supervision.count.open', 'supervision.count.overdue', 'supervision.count.closed', 'supervision.count.onTimeRate'].map(
        (key) => record[t(key)],
      );
    };
    await eventually(async () => {
      expect(await figures(production)).toEqual(['1', '1', '1', '0', '—']);
      expect(await figures(facilities)).toEqual(['2', '1', '0', '1', '100.0%']);
    });

    // when: the department's name
    await production.getByRole('link', { name: PRODUCTION, exact: true }).click();

    // then: its problems, and no other department's
    await page.waitForURL((url) => url.pathname === '/problems' && url.searchParams.get('department') === organisation.productionId);
    await eventually(async () => expect(await rowTitles(page)).toEqual([OVERDUE]));
    await rowOf(page, OVERDUE).getByRole('cell', { name: PRODUCTION, exact: true }).waitFor();
    await audit.check(page, 'the problem list, one department');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
