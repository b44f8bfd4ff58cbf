import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { api, fileProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

const TITLE = '配电房门锁损坏';
/** How far ahead the short deadline is set: past before the journey looks, yet later than "now" when it is given. */
const SHORT_DEADLINE_MS = 3_000;
const RESPONSE = '已更换门锁并加装警示标识；逾期原因：锁具到货延迟。';

interface Sheet {
  number: string;
  facts: { stepName: string; responseDue: string | null };
  response: { text: string; by: { name: string }; late: boolean } | null;
}

/**
 * A department answers a supervision sheet in writing (书面回复): the 督查督办 preset is in force, whose first step
 * (督办通知书) asks for a response within 3 working days; a facilities problem is given a deadline a few seconds
 * ahead, the scheduler (every 500 ms here) escalates it, and 王芳 of 设施部 responds from the problem page.
 */
describe("the department's written response to a supervision sheet", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let page: Page;
  let problemId = '';

  const sheets = async () => (await api<{ items: Sheet[] }>(server, organisation.supervisor.token, 'GET', `/problems/${problemId}/sheets`)).items;

  beforeAll(async () => {
    server = await ConsoleServer.start({ SCHEDULER_INTERVAL_MS: '500' });
    organisation = await seedOrganisation(server);
    const presets = await api<Array<{ key: string; draft: Record<string, unknown> }>>(server, server.adminToken, 'GET', '/admin/deadline-policy/presets');
    const office = presets.find((preset) => preset.key === 'supervision-office')!;
    const { policy } = await api<{ policy: { version: number } }>(server, server.adminToken, 'GET', '/deadline-policy');
    await api(server, server.adminToken, 'POST', '/admin/deadline-policy', { basedOnVersion: policy.version, note: '督查督办办法', policy: office.draft });
    problemId = (await fileProblem(server, organisation.inspector, TITLE)).id;
    await sendEvent(server, organisation.supervisor, problemId, {
      type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳', deadline: new Date(Date.now() + SHORT_DEADLINE_MS).toISOString(),
    });
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the escalation issues the 督办通知书, which asks for a written response by a date', async () => {
    await eventually(async () => {
      expect(await sheets()).toEqual([expect.objectContaining({ facts: expect.objectContaining({ stepName: '督办通知书', responseDue: expect.any(String) }), response: null })]);
    }, 30_000);
  }, 45_000);

  it('the department responds from the problem page, and the sheet keeps the response', async () => {
    // given: 王芳 on the problem page, the sheet awaiting the response
    const [sheet] = await sheets();
    await signIn(page, organisation.facilities.username, organisation.facilities.password, `/problems/${problemId}`);
    await page.getByRole('heading', { level: 2, name: TITLE }).waitFor();
    const row = page.getByRole('main').getByRole('row').filter({ has: page.getByRole('cell', { name: sheet.number, exact: true }) });
    await row.getByText(/^待回复（.+前）$/).waitFor();
    await audit.check(page, 'a problem page with a sheet awaiting its written response');

    // when she writes the response and sends it
    await row.getByRole('button', { name: t('sheets.respond') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(RESPONSE);
    await audit.check(page, 'the written response dialog');
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/response'));
    await dialog.getByRole('button', { name: t('sheets.respondSend') }).click();
    expect((await answer).status()).toBe(200);

    // then the row says it was given, the button is gone, and the server keeps it as hers
    await row.getByText(/^已回复 /).waitFor();
    expect(await row.getByRole('button', { name: t('sheets.respond') }).count()).toBe(0);
    const [answered] = await sheets();
    expect(answered.response).toEqual(expect.objectContaining({ text: RESPONSE, by: expect.objectContaining({ name: '王芳' }), late: false }));
    await screenshot(page, 'sheet-response-given');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
