import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, signIn } from './support/browser.js';
import { ledgerTitles } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { api, fileProblem, type Organisation, type Person, seedOrganisation, sendEvent } from './support/seed.js';

const FACILITIES = '设施部';
const PRODUCTION = '生产部';
/** 设施部 has two problems in progress (green) and closes one; 生产部 leaves one past a deadline a few seconds ahead (red). */
const FACILITIES_GREEN = ['安全出口指示灯损坏', '灭火器压力不足'];
const FACILITIES_CLOSED = '消防栓箱门损坏';
const PRODUCTION_LATE = '配电柜门未上锁';
const SHORT_DEADLINE_MS = 3_000;
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

interface Dashboard {
  lights: { all: Record<string, number>; byDepartment: Array<{ department: string; lights: Record<string, number> }> };
  ladder: Array<{ level: number; name: string; open: number }>;
  trend: Array<{ weekStart: string; weekEnd: string; found: number; closed: number }>;
}

/** A row of a table in the page as column header → cell text. */
async function rowRecord(row: Locator): Promise<Record<string, string>> {
  const headers = await row.locator('xpath=ancestor::table[1]').getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cells).toHaveLength(headers.length);
  return Object.fromEntries(headers.map((header, index) => [header.trim(), cells[index].trim()]));
}

/** The row of a card's table whose first cell reads `name`. */
const rowIn = (page: Page, card: string, name: string): Locator =>
  page.locator('.ant-card').filter({ has: page.getByText(card, { exact: true }) }).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });

/**
 * The supervision dashboard (督办驾驶舱): problems filed now, two in progress and one closed at 设施部, one past its
 * deadline at 生产部; the dashboard shows their lights, the ladder, this week's found and closed and this month's
 * ranking as the API counts them, draws the charts, and its numbers lead to the ledger rows behind them.
 */
describe("the supervisor's dashboard", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let page: Page;
  let expected: Dashboard;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    const { inspector, supervisor, facilities, production } = organisation;
    const ids: Record<string, string> = {};
    for (const title of [...FACILITIES_GREEN, FACILITIES_CLOSED, PRODUCTION_LATE]) ids[title] = (await fileProblem(server, inspector, title)).id;
    const start = async (title: string, departmentId: string, clerk: Person, deadline?: string) => {
      await sendEvent(server, supervisor, ids[title], { type: 'ASSIGN', departmentId, responsiblePerson: clerk.name, ...(deadline ? { deadline } : {}) });
      await sendEvent(server, clerk, ids[title], { type: 'START', measures: '按要求整改', responsiblePerson: clerk.name, plannedCompletionDate: IN_A_WEEK });
    };
    for (const title of [...FACILITIES_GREEN, FACILITIES_CLOSED]) await start(title, organisation.facilitiesId, facilities);
    await sendEvent(server, facilities, ids[FACILITIES_CLOSED], { type: 'SUBMIT', summary: '已整改完毕' });
    await sendEvent(server, inspector, ids[FACILITIES_CLOSED], { type: 'APPROVE', comment: '复查合格' });
    await sendEvent(server, supervisor, ids[FACILITIES_CLOSED], { type: 'CLOSE', comment: '同意销号' });
    await start(PRODUCTION_LATE, organisation.productionId, production, new Date(Date.now() + SHORT_DEADLINE_MS).toISOString());
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the lights, the ladder, the week and the ranking as the API counts them, and draws the charts', async () => {
    // given: the late problem's deadline has passed and its light turned red (or further, once escalated)
    await eventually(async () => {
      expected = await api<Dashboard>(server, organisation.supervisor.token, 'GET', '/ledger/dashboard');
      const production = expected.lights.byDepartment.find((row) => row.department === PRODUCTION);
      expect(production?.lights.green).toBe(0);
      expect((production?.lights.red ?? 0) + (production?.lights.black ?? 0)).toBe(1);
    }, 30_000);
    expect(expected.lights.byDepartment.find((row) => row.department === FACILITIES)?.lights).toEqual({ green: 2, yellow: 0, red: 0, black: 0, total: 2 });
    expect(expected.trend.at(-1)).toMatchObject({ found: 4, closed: 1 });

    // when: the supervisor opens 督办驾驶舱 from the menu
    await signIn(page, organisation.supervisor.username, organisation.supervisor.password);
    await page.getByRole('navigation').getByRole('link', { name: t('nav.dashboard'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.getByRole('heading', { level: 2, name: t('nav.dashboard') }).waitFor();

    // then: each department's lights
    const column = (key: string) => t(key);
    await eventually(async () => {
      expect(await rowRecord(rowIn(page, t('dashboard.lights'), FACILITIES))).toEqual({
        [column('problem.department')]: FACILITIES,
        [column('light.green')]: '2',
        [column('light.yellow')]: '0',
        [column('light.red')]: '0',
        [column('light.black')]: '0',
        [column('dashboard.lights.total')]: '2',
      });
      const production = expected.lights.byDepartment.find((row) => row.department === PRODUCTION)!.lights;
      expect(await rowRecord(rowIn(page, t('dashboard.lights'), PRODUCTION))).toEqual(
        expect.objectContaining({ [column('light.red')]: String(production.red), [column('light.black')]: String(production.black), [column('dashboard.lights.total')]: '1' }),
      );
      expect(await rowRecord(rowIn(page, t('dashboard.lights'), t('dashboard.lights.all')))).toEqual(
        expect.objectContaining({ [column('light.green')]: '2', [column('dashboard.lights.total')]: '3' }),
      );
    });
    // the ladder's steps by the policy's names, as many open at each as the API says
    for (const step of expected.ladder) {
      await page.getByRole('link', { name: t('dashboard.ladder.link', { step: step.name, count: step.open }), exact: true }).waitFor();
    }
    expect(expected.ladder.map((step) => step.name)).toEqual(['一级督办', '二级督办', '挂牌督办']);
    // this week: four found, one closed
    const week = expected.trend.at(-1)!;
    const weekName = `${week.weekStart} – ${week.weekEnd}`;
    await page.getByRole('link', { name: t('dashboard.trend.foundLink', { week: weekName, count: 4 }), exact: true }).waitFor();
    await page.getByRole('link', { name: t('dashboard.trend.closedLink', { week: weekName, count: 1 }), exact: true }).waitFor();
    // this month's ranking, from GET /ledger/ranking
    await eventually(async () => {
      expect(await rowRecord(rowIn(page, t('dashboard.ranking'), FACILITIES))).toEqual(
        expect.objectContaining({ [column('supervision.ranking.received')]: '3', [column('supervision.count.closed')]: '1', [column('supervision.ranking.rateOriginal')]: '100.0%' }),
      );
    });
    // both charts drawn by ECharts, loaded after the page
    for (const chart of [t('dashboard.trend.chart', { count: 12 }), t('dashboard.ranking.chart')]) {
      await eventually(async () => expect(await page.getByRole('img', { name: chart, exact: true }).locator('svg').count()).toBeGreaterThan(0));
    }
    await audit.check(page, 'the supervision dashboard');
  }, 90_000);

  it("a department's count of green lights leads to the ledger rows behind it", async () => {
    // when
    await page.getByRole('link', { name: t('dashboard.lights.link', { department: FACILITIES, light: t('light.green'), count: 2 }), exact: true }).click();

    // then
    await page.waitForURL((url) => url.pathname === '/ledger' && url.searchParams.get('department') === organisation.facilitiesId && url.searchParams.get('light') === 'green');
    await page.getByRole('heading', { level: 2, name: t('nav.ledger') }).waitFor();
    await eventually(async () => expect(await ledgerTitles(page)).toEqual([...FACILITIES_GREEN].sort()));
    await audit.check(page, 'the ledger behind a light count');
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/dashboard');
  }, 60_000);

  it("this week's found count leads to the ledger of the problems found in it", async () => {
    // when
    const week = expected.trend.at(-1)!;
    await page.getByRole('link', { name: t('dashboard.trend.foundLink', { week: `${week.weekStart} – ${week.weekEnd}`, count: 4 }), exact: true }).click();

    // then
    await page.waitForURL((url) => url.pathname === '/ledger' && url.searchParams.get('from') === week.weekStart && url.searchParams.get('to') === week.weekEnd);
    await eventually(async () => expect(await ledgerTitles(page)).toEqual([...FACILITIES_GREEN, FACILITIES_CLOSED, PRODUCTION_LATE].sort()));
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
