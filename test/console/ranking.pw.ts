import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { headersOf, RANKING_COLUMNS } from '#ledger';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, signIn } from './support/browser.js';
import { ledgerTitles } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { api, fileProblem, type Organisation, type Person, seedOrganisation, sendEvent } from './support/seed.js';

const FACILITIES = '设施部';
const PRODUCTION = '生产部';
/** 设施部 closes both of its problems well before their deadlines: on time, nothing overdue, the red list (红榜). */
const FACILITIES_CLOSED = ['安全出口指示灯损坏', '灭火器压力不足'];
/** 生产部 closes one on time and leaves one past a deadline given a few seconds ahead: the yellow list (黄榜). */
const PRODUCTION_CLOSED = '货架标识缺失';
const PRODUCTION_OVERDUE = '配电柜门未上锁';
const SHORT_DEADLINE_MS = 3_000;
/** The department's planned completion date: ahead, as a plan is. */
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

/** A row of a table in the page as column header → cell text (a cell's text is what a person reads in it). */
async function rowRecord(row: Locator): Promise<Record<string, string>> {
  const headers = await row.locator('xpath=ancestor::table[1]').getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cells).toHaveLength(headers.length);
  return Object.fromEntries(headers.map((header, index) => [header.trim(), cells[index].trim()]));
}

/** The ranking's row of a department, found by the cell with its name. */
const rankingRow = (page: Page, department: string): Locator =>
  page.getByRole('main').getByRole('row').filter({ has: page.getByRole('cell', { name: department, exact: true }) });

/**
 * The supervising office's department ranking (部门排名): problems filed this month and assigned to two departments,
 * one of which closed all of its on time and one left one overdue; the ranking puts them in that order on the red
 * and the yellow list (红黄黑榜), its counts lead to the ledger, and its CSV holds the same.
 */
describe("the supervisor's department ranking", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let page: Page;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    const { inspector, supervisor, facilities, production } = organisation;
    // Filed first, all of them: a finding filed where one was closed before counts as a repeat, raised in severity.
    const ids: Record<string, string> = {};
    for (const title of [...FACILITIES_CLOSED, PRODUCTION_CLOSED, PRODUCTION_OVERDUE]) ids[title] = (await fileProblem(server, inspector, title)).id;
    const closeOnTime = async (title: string, departmentId: string, clerk: Person) => {
      const id = ids[title];
      await sendEvent(server, supervisor, id, { type: 'ASSIGN', departmentId, responsiblePerson: clerk.name });
      await sendEvent(server, clerk, id, { type: 'START', measures: '按要求整改', responsiblePerson: clerk.name, plannedCompletionDate: IN_A_WEEK });
      await sendEvent(server, clerk, id, { type: 'SUBMIT', summary: '已整改完毕' });
      await sendEvent(server, inspector, id, { type: 'APPROVE', comment: '复查合格' });
      await sendEvent(server, supervisor, id, { type: 'CLOSE', comment: '同意销号' });
    };
    for (const title of FACILITIES_CLOSED) await closeOnTime(title, organisation.facilitiesId, facilities);
    await closeOnTime(PRODUCTION_CLOSED, organisation.productionId, production);
    await sendEvent(server, supervisor, ids[PRODUCTION_OVERDUE], {
      type: 'ASSIGN', departmentId: organisation.productionId, responsiblePerson: production.name, deadline: new Date(Date.now() + SHORT_DEADLINE_MS).toISOString(),
    });
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('ranks the departments of this month, each on its list, with both on-time rates', async () => {
    // given: the deadline given a few seconds ahead has passed
    await eventually(async () => {
      const { departments } = await api<{ departments: Array<{ department: string; list: string | null }> }>(
        server, organisation.supervisor.token, 'GET', '/ledger/ranking',
      );
      expect(departments.map(({ department, list }) => [department, list])).toEqual([[FACILITIES, 'red'], [PRODUCTION, 'yellow']]);
    }, 20_000);

    // when: the supervisor opens 部门排名 from the menu
    await signIn(page, organisation.supervisor.username, organisation.supervisor.password);
    await page.getByRole('navigation').getByRole('link', { name: t('nav.ranking'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/ranking');
    await page.getByRole('heading', { level: 2, name: t('nav.ranking') }).waitFor();

    // then: 设施部 first on the red list, 生产部 second on the yellow for its overdue problem
    const column = (key: string) => t(key);
    await eventually(async () => {
      expect(await rowRecord(rankingRow(page, FACILITIES))).toEqual(
        expect.objectContaining({
          [column('supervision.ranking.rank')]: '1',
          [column('supervision.ranking.list')]: `${t('supervision.ranking.list.red')} ${t('supervision.ranking.reason.onTimeRate')}`,
          [column('supervision.ranking.rateOriginal')]: '100.0%',
          [column('supervision.ranking.rateWithExtensions')]: '100.0%',
          [column('supervision.ranking.received')]: '2',
          [column('supervision.count.closed')]: '2',
          [column('supervision.count.overdue')]: '0',
        }),
      );
      expect(await rowRecord(rankingRow(page, PRODUCTION))).toEqual(
        expect.objectContaining({
          [column('supervision.ranking.rank')]: '2',
          [column('supervision.ranking.list')]: `${t('supervision.ranking.list.yellow')} ${t('supervision.ranking.reason.overdue')}`,
          [column('supervision.ranking.rateOriginal')]: '100.0%',
          [column('supervision.ranking.received')]: '2',
          [column('supervision.count.closed')]: '1',
          [column('supervision.count.overdue')]: '1',
        }),
      );
    });
    // the thresholds of the policy in force stated with them (the built-in version 1)
    await page.getByText(t('supervision.ranking.rule.red', { rate: '95%' })).waitFor();
    await audit.check(page, 'the department ranking');
  }, 60_000);

  it("a department's count of problems received leads to the ledger of that department and period", async () => {
    // when
    const received = t('supervision.ranking.figureLink', { department: FACILITIES, figure: t('supervision.ranking.received'), count: 2 });
    await page.getByRole('link', { name: received, exact: true }).click();

    // then: the ledger, filtered in its address, lists the two problems behind the number
    await page.waitForURL((url) => url.pathname === '/ledger' && url.searchParams.get('department') === organisation.facilitiesId && url.searchParams.has('from'));
    await page.getByRole('heading', { level: 2, name: t('nav.ledger') }).waitFor();
    await eventually(async () => expect(await ledgerTitles(page)).toEqual([...FACILITIES_CLOSED].sort()));
    await audit.check(page, 'the ledger behind a ranking count');
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/ranking');
  }, 60_000);

  it('downloads the ranking as CSV: UTF-8 with a BOM, the Chinese header, a row per department', async () => {
    // when
    await rankingRow(page, FACILITIES).waitFor();
    const started = page.waitForEvent('download');
    await page.getByRole('group', { name: t('supervision.ledger.downloads') }).getByRole('link', { name: button('supervision.ranking.csv') }).click();
    const done: Download = await started;
    expect(await done.failure()).toBeNull();
    const bytes = readFileSync(await done.path());

    // then
    expect(done.suggestedFilename()).toBe('ranking.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(bytes.subarray(3).toString('utf8')) as string[][];
    expect(header).toEqual(headersOf(RANKING_COLUMNS, 'zh'));
    expect(header).toEqual(expect.arrayContaining(['排名', '部门', '榜单', '按期率（原定期限）', '按期率（含延期）']));
    const records = rows.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])));
    expect(records.map((record) => [record['排名'], record['部门'], record['榜单']])).toEqual([
      ['1', FACILITIES, '红榜'],
      ['2', PRODUCTION, '黄榜'],
    ]);
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
