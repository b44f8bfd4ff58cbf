import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, PHONE, screenshot, signIn } from './support/browser.js';
import { choose, expectActions, expectState, sendFromPage } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { sitePhoto } from './support/photo.js';
import { api, INSPECTION, type Organisation, seedOrganisation } from './support/seed.js';

const TITLE = '东侧安全出口被货物堵塞';
const REJECTION = '警示区域未划线，请补充整改';

/**
 * One problem's whole life in the console, each person at their own browser: the inspector on a phone files it
 * with a photo, the supervisor assigns it, the department rectifies and submits, the inspector sends it back
 * with a reason, the department submits again, the inspector approves and the supervisor closes it (销号).
 * Every step goes through the buttons the problem page offers (its `allowedEvents`).
 */
describe('a problem from filing to close-out (销号)', () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let inspector: Page;
  let supervisor: Page;
  let department: Page;
  let problemId = '';

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    browser = await launchChromium();
    inspector = (await openBrowser(browser, server, PHONE)).page;
    supervisor = (await openBrowser(browser, server, DESKTOP)).page;
    department = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the inspector files it on a phone, with a photo from the camera, and sees it in their list', async () => {
    // given: the inspector signed in on their phone
    await signIn(inspector, organisation.inspector.username, organisation.inspector.password);
    await inspector.goto('/problems/new');
    await inspector.getByRole('heading', { level: 2, name: t('problem.file') }).waitFor();

    // when: they describe the finding and take a photo
    const field = (key: string) => inspector.getByLabel(t(key), { exact: true });
    await choose(inspector, inspector, t('inspections.picker'), INSPECTION);
    await field('problem.title').fill(TITLE);
    await field('problem.description').fill('东侧安全出口前堆放托盘，通道宽度不足 0.5 米');
    await field('problem.category').fill('消防安全');
    await choose(inspector, inspector, t('problem.severity'), t('severity.minor'));
    await field('problem.location').fill('三号仓库东侧');
    await field('problem.requirement').fill('清理出口通道，划设禁止占用警示区域');
    const chooser = inspector.waitForEvent('filechooser');
    await inspector.getByRole('button', { name: t('problem.takePhoto') }).click();
    await (await chooser).setFiles(sitePhoto());
    await inspector.getByText(sitePhoto().name).waitFor();
    // The page must fit the phone: nothing wider than its screen.
    expect(await inspector.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await audit.check(inspector, 'the file-a-problem form on a phone');
    await screenshot(inspector, 'file-problem-phone');
    await inspector.getByRole('button', { name: button('app.submit') }).click();

    // then: the problem page opens, found, and the photo is stored as the finding's evidence
    await inspector.waitForURL(/\/problems\/[0-9a-f-]{36}$/);
    problemId = inspector.url().split('/').pop()!;
    await expectState(inspector, 'found');
    await inspector.getByRole('heading', { level: 2, name: TITLE }).waitFor();
    const evidence = await api<{ items: Array<{ kind: string; mediaType: string }> }>(server, organisation.inspector.token, 'GET', `/problems/${problemId}/evidence`);
    expect(evidence.items).toEqual([expect.objectContaining({ kind: 'finding', mediaType: 'image/png' })]);
    await audit.check(inspector, 'the problem page on a phone');

    // and: it is in their list, a link to it
    await inspector.goto('/problems');
    await inspector.getByRole('link', { name: TITLE }).waitFor();
    await audit.check(inspector, 'the problem list on a phone');
    await screenshot(inspector, 'problem-list-phone');
  }, 90_000);

  it('the supervisor assigns it to the Facilities department', async () => {
    await signIn(supervisor, organisation.supervisor.username, organisation.supervisor.password, '/problems');
    await supervisor.getByRole('link', { name: TITLE }).click();
    await expectState(supervisor, 'found');

    const status = await sendFromPage(supervisor, 'ASSIGN', [
      { label: t('event.field.departmentId'), value: '设施部', kind: 'select' },
      { label: t('event.field.responsiblePerson'), value: '王芳' },
    ]);

    expect(status).toBe(200);
    await expectState(supervisor, 'assigned');
    await supervisor.getByRole('cell', { name: '设施部', exact: true }).first().waitFor();
    const assigned = await api<{ departmentId: string }>(server, organisation.supervisor.token, 'GET', `/problems/${problemId}`);
    expect(assigned.departmentId).toBe(organisation.facilitiesId);
  }, 60_000);

  it('the department starts the work and submits it', async () => {
    await signIn(department, organisation.facilities.username, organisation.facilities.password, `/problems/${problemId}`);
    await expectState(department, 'assigned');
    await expectActions(department, ['START', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);

    expect(
      await sendFromPage(department, 'START', [
        { label: t('event.field.measures'), value: '托盘移至 B 区货架，出口前划黄色警示线' },
        { label: t('event.field.responsiblePerson'), value: '王芳' },
        { label: t('event.field.plannedCompletionDate'), value: '2026-12-18', kind: 'date' },
      ]),
    ).toBe(200);
    await expectState(department, 'rectifying');
    expect(await sendFromPage(department, 'SUBMIT', [{ label: t('event.field.summary'), value: '托盘已清走，通道已恢复' }])).toBe(200);

    // then: the work waits for verification; the department has nothing to do on it meanwhile
    await department.getByText(t('problem.noActions')).waitFor();
    await audit.check(department, 'the problem page (department, submitted)');
  }, 60_000);

  it('the inspector sends it back with a reason, and the department sees why and submits again', async () => {
    await inspector.goto(`/problems/${problemId}`);
    // The filer verifies; they may also still reassign or cancel it.
    await expectActions(inspector, ['APPROVE', 'REJECT', 'REASSIGN', 'CANCEL']);
    expect(await sendFromPage(inspector, 'REJECT', [{ label: t('event.field.reason'), value: REJECTION }])).toBe(200);
    await expectActions(inspector, ['REASSIGN', 'CANCEL']);

    await department.reload();
    await department.getByText(REJECTION).waitFor();
    await expectActions(department, ['REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);
    expect(await sendFromPage(department, 'SUBMIT', [{ label: t('event.field.summary'), value: '已划设黄色禁止占用警示区域' }])).toBe(200);
  }, 60_000);

  it('the inspector approves it and the supervisor closes it (销号)', async () => {
    await inspector.reload();
    expect(await sendFromPage(inspector, 'APPROVE', [{ label: t('event.field.comment'), value: '现场复查合格' }])).toBe(200);
    await expectState(inspector, 'verified');

    await supervisor.reload();
    await expectActions(supervisor, ['CLOSE']);
    expect(await sendFromPage(supervisor, 'CLOSE', [{ label: t('event.field.comment'), value: '整改到位，同意销号' }])).toBe(200);
    await expectState(supervisor, 'closed');

    // The history tells the whole story, the rejection's reason included.
    for (const type of ['ASSIGN', 'START', 'SUBMIT', 'REJECT', 'APPROVE', 'CLOSE']) await supervisor.getByText(t(`event.${type}`), { exact: true }).filter({ visible: true }).first().waitFor();
    await supervisor.getByText(REJECTION).waitFor();
    await eventually(async () => {
      const history = await api<{ items: Array<{ eventType: string }> }>(server, organisation.supervisor.token, 'GET', `/problems/${problemId}/history`);
      expect(history.items.map((row) => row.eventType)).toEqual(['FILE', 'ASSIGN', 'START', 'SUBMIT', 'REJECT', 'SUBMIT', 'APPROVE', 'CLOSE']);
    });
    await audit.check(supervisor, 'the problem page, closed');
    await screenshot(supervisor, 'problem-page');

    await supervisor.goto('/problems');
    await supervisor.getByRole('link', { name: TITLE }).waitFor();
    await audit.check(supervisor, 'the problem list');
    await screenshot(supervisor, 'problem-list');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
