import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, launchChromium, openBrowser, PHONE, signIn } from './support/browser.js';
import { expectActions, expectState, sendFromPage } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { fileProblem, getProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

/** Marks the page's document; a reload or a navigation away loses the mark. */
const markDocument = (page: Page) => page.evaluate("window.journeyMark = 'unchanged'");
const documentMark = (page: Page) => page.evaluate('window.journeyMark ?? null');

/**
 * Two people on one problem at once. One watches while the other acts: the step appears on the watcher's page
 * without a reload (the live stream). And two act on the same version: the second is refused with 409, told so,
 * and shown what is true now.
 */
describe('two people on one problem', () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the supervisor's open problem page shows the department's steps as they happen, without a reload", async () => {
    // given: a problem assigned to Facilities, open on the supervisor's screen and on the department's
    const { supervisor, facilities } = organisation;
    const problem = await fileProblem(server, organisation.inspector, '配电室门口消防栓被遮挡');
    await sendEvent(server, supervisor, problem.id, { type: 'ASSIGN', departmentId: organisation.facilitiesId });
    const watcher = (await openBrowser(browser, server, DESKTOP)).page;
    const actor = (await openBrowser(browser, server, DESKTOP)).page;
    await signIn(watcher, supervisor.username, supervisor.password, `/problems/${problem.id}`);
    await expectState(watcher, 'assigned');
    await signIn(actor, facilities.username, facilities.password, `/problems/${problem.id}`);
    await expectState(actor, 'assigned');
    await markDocument(watcher);

    // when: the department starts the work
    expect(
      await sendFromPage(actor, 'START', [
        { label: t('event.field.measures'), value: '移开遮挡物，设置禁放标识' },
        { label: t('event.field.responsiblePerson'), value: '王芳' },
        { label: t('event.field.plannedCompletionDate'), value: '2026-12-10', kind: 'date' },
      ]),
    ).toBe(200);

    // then: the supervisor's page says who did what, and shows the new state, in the same document
    await watcher.getByText(t('problem.updated', { actor: facilities.name, event: t('event.START') })).waitFor();
    await expectState(watcher, 'rectifying');

    // when: the department submits; then: the supervisor is offered the verification, still without a reload
    expect(await sendFromPage(actor, 'SUBMIT', [{ label: t('event.field.summary'), value: '遮挡物已移开' }])).toBe(200);
    await expectActions(watcher, ['APPROVE', 'REJECT', 'REASSIGN', 'CANCEL']);
    expect(await documentMark(watcher)).toBe('unchanged');
    await audit.check(watcher, 'the problem page after live updates');
    await watcher.context().close();
    await actor.context().close();
  }, 90_000);

  it('when two verify the same version, the second is told of the conflict and shown the problem as it is now', async () => {
    // given: submitted work, open on the supervisor's desktop and on the inspector's phone, whose live connection
    // is down (a warehouse without signal), so their page still shows the version they opened
    const { supervisor, inspector, facilities } = organisation;
    const problem = await fileProblem(server, inspector, '二号车间应急照明失效');
    await sendEvent(server, supervisor, problem.id, { type: 'ASSIGN', departmentId: organisation.facilitiesId });
    await sendEvent(server, facilities, problem.id, { type: 'START', measures: '更换应急灯电池', responsiblePerson: '王芳', plannedCompletionDate: '2026-12-10' });
    await sendEvent(server, facilities, problem.id, { type: 'SUBMIT', summary: '电池已更换，测试正常' });
    const first = (await openBrowser(browser, server, DESKTOP)).page;
    const second = await openBrowser(browser, server, PHONE);
    await second.context.route('**/events/stream', (route) => route.abort('internetdisconnected'));
    await signIn(first, supervisor.username, supervisor.password, `/problems/${problem.id}`);
    await signIn(second.page, inspector.username, inspector.password, `/problems/${problem.id}`);
    await expectActions(first, ['APPROVE', 'REJECT', 'REASSIGN', 'CANCEL']);
    await expectActions(second.page, ['APPROVE', 'REJECT', 'REASSIGN', 'CANCEL']);

    // when: the supervisor approves first, then the inspector sends it back from the version they still see
    expect(await sendFromPage(first, 'APPROVE', [{ label: t('event.field.comment'), value: '复查合格' }])).toBe(200);
    const status = await sendFromPage(second.page, 'REJECT', [{ label: t('event.field.reason'), value: '照明亮度不足' }]);

    // then: 409, the console says someone else was first, and the page now shows the approved problem
    expect(status).toBe(409);
    const notice = second.page.getByRole('dialog', { name: t('conflict.title') });
    await notice.waitFor();
    await notice.getByText(t('conflict.body')).waitFor();
    await audit.check(second.page, 'the conflict notice on a phone');
    // Its one button is Ant Design's own acknowledgement (知道了), from the locale, not the console's catalogs.
    await notice.getByRole('button').last().click();
    await notice.waitFor({ state: 'hidden' });
    await expectState(second.page, 'verified');
    await expectActions(second.page, []);
    await second.page.getByText(t('problem.noActions')).waitFor();
    // the refused rejection left no trace
    expect((await getProblem(server, supervisor, problem.id)).state).toBe('verified');
    await first.context().close();
    await second.context.close();
  }, 90_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
