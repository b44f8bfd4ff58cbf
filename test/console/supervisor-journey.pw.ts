import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { pdfText } from '../support/pdf-text.js';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { api, fileProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

const LATE = '督查办档案室灭火器过期';
const ON_TIME = '仓库应急照明不亮';
/** How far ahead the short deadline is set: past before the journey looks, yet later than "now" when it is given. */
const SHORT_DEADLINE_MS = 3_000;

interface Notice {
  id: string;
  problemId: string;
  kind: string;
  level: number;
  recipientDepartmentId: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

const notices = async (server: ConsoleServer, token: string) => (await api<{ items: Notice[] }>(server, token, 'GET', '/me/notices')).items;

/**
 * The supervisor's journey: a supervision notice (督办单) in their inbox, acknowledged (签收). The notice is made by the server itself: a problem is given a deadline a few seconds
 * ahead, and the scheduler (every 500 ms here) sees it pass and escalates it at level 1, which is addressed to
 * the responsible department. So the problem is the office's own (its archive room), the office the
 * supervisor works in, and the notice is theirs to acknowledge.
 */
describe("the supervisor's journey", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let page: Page;
  let lateId = '';

  beforeAll(async () => {
    server = await ConsoleServer.start({ SCHEDULER_INTERVAL_MS: '500' });
    organisation = await seedOrganisation(server);
    const { inspector, supervisor } = organisation;
    const late = await fileProblem(server, inspector, LATE);
    lateId = late.id;
    await sendEvent(server, supervisor, lateId, {
      type: 'ASSIGN', departmentId: organisation.officeId, responsiblePerson: '张敏', deadline: new Date(Date.now() + SHORT_DEADLINE_MS).toISOString(),
    });
    const onTime = await fileProblem(server, inspector, ON_TIME);
    await sendEvent(server, supervisor, onTime.id, { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the scheduler escalates the problem whose deadline passed, and the notice reaches the office', async () => {
    await eventually(async () => {
      const problem = await api<{ deadlineState: string }>(server, organisation.supervisor.token, 'GET', `/problems/${lateId}`);
      expect(problem.deadlineState).toBe('escalated');
      expect(await notices(server, organisation.supervisor.token)).toEqual([
        expect.objectContaining({ problemId: lateId, kind: 'escalation', level: 1, recipientDepartmentId: organisation.officeId, acknowledgedAt: null }),
      ]);
    }, 30_000);
  }, 45_000);

  it('acknowledges (签收) the notice in the notices inbox', async () => {
    await signIn(page, organisation.supervisor.username, organisation.supervisor.password);
    await page.getByRole('navigation').getByRole('link', { name: t('nav.notices'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/notices');
    await page.getByRole('heading', { level: 2, name: t('nav.notices') }).waitFor();
    await page.getByText(t('supervision.notices.unacknowledgedCount', { count: 1 }), { exact: true }).waitFor();

    // the notice: not yet acknowledged, an overdue escalation at level 1, linking to its problem by its title
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: LATE, exact: true }) });
    await row.getByText(t('supervision.notices.unacknowledged')).waitFor();
    await row.getByRole('cell', { name: t('supervision.notices.kind.escalation'), exact: true }).waitFor();
    await row.getByRole('cell', { name: t('supervision.notices.level.1'), exact: true }).waitFor();
    await row.getByRole('cell', { name: '安全督查办', exact: true }).waitFor();
    await audit.check(page, 'the notices inbox, one unacknowledged');

    // when: 签收
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/acknowledge'));
    await row.getByRole('button', { name: button('supervision.notices.acknowledge') }).click();
    expect((await answer).status()).toBeLessThan(300);

    // then: the row says when, the count drops, the button is gone; the server records who
    await row.getByText(/^已签收 /).waitFor();
    await page.getByText(t('supervision.notices.unacknowledgedCount', { count: 0 }), { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: button('supervision.notices.acknowledge') }).count()).toBe(0);
    const [acknowledged] = await notices(server, organisation.supervisor.token);
    expect(acknowledged).toEqual(expect.objectContaining({ acknowledgedBy: organisation.supervisor.id, acknowledgedAt: expect.any(String) }));
    await audit.check(page, 'the notices inbox, acknowledged');
    await screenshot(page, 'supervision-notice-acknowledged');

    // and: the link leads to the problem, escalated
    await row.getByRole('link').click();
    await page.waitForURL(`**/problems/${lateId}`);
    await page.getByRole('heading', { level: 2, name: LATE }).waitFor();
  }, 60_000);

  it('downloads the numbered supervision sheet (督办单) the escalation issued, and verifies it and a copy of it', async () => {
    // given: the problem page, with the sheet of its first ladder step
    const [sheet] = (await api<{ items: Array<{ number: string; historyHash: string }> }>(server, organisation.supervisor.token, 'GET', `/problems/${lateId}/sheets`)).items;
    expect(sheet.number).toMatch(/^督〔\d{4}〕1号$/);
    const card = page.getByRole('main').locator('.ant-card').filter({ has: page.getByRole('heading', { level: 3, name: t('sheets.title') }) });
    const row = card.getByRole('row').filter({ has: page.getByRole('cell', { name: sheet.number, exact: true }) });
    await row.getByRole('cell', { name: '一级督办', exact: true }).waitFor();
    await row.getByRole('cell', { name: '安全督查办', exact: true }).waitFor();

    // when it is downloaded
    const started = page.waitForEvent('download');
    await row.getByRole('link', { name: t('sheets.downloadLabel', { number: sheet.number }) }).click();
    const done: Download = await started;
    expect(await done.failure()).toBeNull();
    const pdf = readFileSync(await done.path());

    // then it is the sheet, its Chinese text readable
    expect(done.suggestedFilename()).toMatch(/^(sheet-\d{4}-1|督〔\d{4}〕1号)\.pdf$/);
    const text = await pdfText(pdf);
    for (const printed of ['一级督办', sheet.number, LATE, '安全督查办', '督办要求', sheet.historyHash.slice(0, 32)]) expect(text).toContain(printed);

    // when the verification page its QR code leads to is opened from the problem page
    await row.getByRole('link', { name: t('sheets.verifyLabel', { number: sheet.number }) }).click();
    await page.waitForURL((url) => /^\/sheets\/\d{4}-1\/verify$/.test(url.pathname) && url.searchParams.has('organisation'));
    await page.getByText(t('sheets.verify.valid'), { exact: true }).waitFor();
    await page.getByText(t('sheets.verify.pdf.notChecked'), { exact: true }).waitFor();
    await audit.check(page, 'a supervision sheet, verified');
    await screenshot(page, 'supervision-sheet-verified');

    // and the downloaded copy is checked: the file itself matches, one changed byte does not
    const upload = page.locator('input[type=file]');
    await upload.setInputFiles({ name: 'copy.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByText(t('sheets.verify.pdf.matches'), { exact: true }).waitFor();
    await page.getByText(t('sheets.verify.valid'), { exact: true }).waitFor();
    const altered = Buffer.from(pdf);
    altered[Math.floor(altered.length / 2)] ^= 0x01;
    await upload.setInputFiles({ name: 'altered.pdf', mimeType: 'application/pdf', buffer: altered });
    await page.getByText(t('sheets.verify.pdf.differs'), { exact: true }).waitFor();
    await page.getByText(t('sheets.verify.invalid'), { exact: true }).waitFor();

    // and the sheets' register (督办单台账) lists it, leading to its problem
    await page.getByRole('navigation').getByRole('link', { name: t('nav.sheets'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sheets');
    const listed = page.getByRole('main').getByRole('row').filter({ has: page.getByRole('link', { name: sheet.number, exact: true }) });
    await listed.getByRole('cell', { name: '一级督办', exact: true }).waitFor();
    await listed.getByText(t('sheets.response.notAsked'), { exact: true }).waitFor();
    await audit.check(page, 'the sheets register');
    await listed.getByRole('link', { name: LATE, exact: true }).click();
    await page.waitForURL(`**/problems/${lateId}`);
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
