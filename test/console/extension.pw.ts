import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { expectActions, sendFromPage } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { api, fileProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

const TITLE = '仓库喷淋头锈蚀';
/** The deadline asked for, as the department types it (the organisation's zone, Asia/Shanghai), and as the server stores it. */
const ASKED = { typed: '2027-01-29 18:00:00', shown: '2027/01/29 18:00', instant: '2027-01-29T10:00:00.000Z' };

interface DeadlineView {
  deadline: string;
  extensionCount: number;
  pendingRequest: unknown;
}

/**
 * Nobody moves their own clock: the department asks for more time from its inbox, a supervisor over it decides
 * on the problem page. One request approved (the deadline moves to the date asked), the next one refused with a
 * reason the department then reads.
 */
describe('an extension asked by the department and decided by a supervisor', () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let department: Page;
  let supervisor: Page;
  let problemId = '';

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    const problem = await fileProblem(server, organisation.inspector, TITLE);
    problemId = problem.id;
    // Assigned without a deadline: the policy counts one (working days on the organisation's calendar).
    await sendEvent(server, organisation.supervisor, problemId, { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });
    browser = await launchChromium();
    department = (await openBrowser(browser, server, DESKTOP)).page;
    supervisor = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the department finds the problem in its inbox and asks for a later deadline', async () => {
    await signIn(department, organisation.facilities.username, organisation.facilities.password);
    await department.waitForURL(/\/inbox/);
    await department.getByRole('link', { name: TITLE }).waitFor();
    await audit.check(department, "the department's inbox");
    await screenshot(department, 'department-inbox');
    await department.getByRole('link', { name: TITLE }).click();
    await department.waitForURL(`**/problems/${problemId}`);

    expect(
      await sendFromPage(department, 'REQUEST_EXTENSION', [
        { label: t('event.field.reason'), value: '需等待消防设备厂家供货' },
        { label: t('event.field.proposedDeadline'), value: ASKED.typed, kind: 'date' },
      ]),
    ).toBe(200);

    // then: the request is pending, shown on the page; no second request can be sent meanwhile
    await department.getByText(t('problem.pending.extension')).waitFor();
    await department.getByText('需等待消防设备厂家供货').first().waitFor();
    await expectActions(department, ['START']);
    const asked = await api<DeadlineView>(server, organisation.facilities.token, 'GET', `/problems/${problemId}`);
    expect(asked.pendingRequest).toEqual(expect.objectContaining({ kind: 'extension', proposedDeadline: ASKED.instant }));
  }, 60_000);

  it('a supervisor finds it among the requests to decide, from the overview', async () => {
    // given the supervisor's overview
    await signIn(supervisor, organisation.supervisor.username, organisation.supervisor.password, '/overview');
    const card = supervisor.getByRole('link', { name: t('supervision.overview.pendingRequests') });
    await card.waitFor();

    // when the card is followed
    await card.click();

    // then the list holds this problem, and only the problems with a request waiting
    await supervisor.waitForURL(/\/problems\?pendingRequest=any$/);
    const rows = supervisor.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await audit.check(supervisor, 'the requests to decide');
    await supervisor.getByRole('link', { name: TITLE }).click();
    await supervisor.waitForURL(new RegExp(`/problems/${problemId}$`));
  });

  it('a supervisor approves it: the deadline becomes the one asked for', async () => {
    await supervisor.getByText(t('problem.pending.extension')).waitFor();
    await supervisor.getByRole('button', { name: t('event.REJECT_EXTENSION') }).waitFor();
    await audit.check(supervisor, 'the problem page with a pending extension');

    expect(await sendFromPage(supervisor, 'APPROVE_EXTENSION', [{ label: t('event.field.comment'), value: '同意，到货后尽快整改' }])).toBe(200);

    await supervisor.getByText(t('problem.pending.extension')).waitFor({ state: 'hidden' });
    await supervisor.getByRole('cell', { name: ASKED.shown, exact: true }).first().waitFor();
    const approved = await api<DeadlineView>(server, organisation.supervisor.token, 'GET', `/problems/${problemId}/deadline`);
    expect(approved).toEqual(expect.objectContaining({ deadline: ASKED.instant, extensionCount: 1, pendingRequest: null }));
  }, 60_000);

  it('a second request is refused with a reason, which the department reads on the problem', async () => {
    await department.reload();
    await department.getByRole('cell', { name: ASKED.shown, exact: true }).first().waitFor();
    expect(
      await sendFromPage(department, 'REQUEST_EXTENSION', [
        { label: t('event.field.reason'), value: '春节假期施工队停工' },
        { label: t('event.field.proposedDeadline'), value: '2027-02-26 18:00:00', kind: 'date' },
      ]),
    ).toBe(200);

    await supervisor.reload();
    expect(await sendFromPage(supervisor, 'REJECT_EXTENSION', [{ label: t('event.field.reason'), value: '节前完成，不再延期' }])).toBe(200);

    await department.reload();
    await department.getByText('节前完成，不再延期').waitFor();
    await department.getByRole('cell', { name: ASKED.shown, exact: true }).first().waitFor();
    await expectActions(department, ['START', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);
    await audit.check(department, 'the problem page after a refused extension');
    await screenshot(department, 'problem-deadline');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
