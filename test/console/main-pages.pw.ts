import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, launchChromium, openBrowser, PHONE, screenshot, signIn } from './support/browser.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { adminPerson, fileProblem, type Organisation, type Person, seedOrganisation, sendEvent } from './support/seed.js';

interface Visit {
  /** The menu entry (its catalog key) a person clicks. */
  nav: string;
  path: string;
  /** docs/screenshots/<name>.png, for the README. */
  screenshot?: string;
}

/** Each role's screens, in the order of the menu they see. */
const TOURS: Array<{ role: 'inspector' | 'department' | 'supervisor' | 'admin'; device: BrowserContextOptions; visits: Visit[] }> = [
  {
    role: 'inspector',
    device: PHONE,
    visits: [{ nav: 'nav.inspections', path: '/inspections', screenshot: 'inspections-phone' }],
  },
  {
    role: 'department',
    device: DESKTOP,
    visits: [
      { nav: 'nav.inbox', path: '/inbox' },
      { nav: 'nav.notices', path: '/notices' },
    ],
  },
  {
    role: 'supervisor',
    device: DESKTOP,
    visits: [
      { nav: 'nav.overview', path: '/overview', screenshot: 'supervisor-overview' },
      { nav: 'nav.dashboard', path: '/dashboard' },
      { nav: 'nav.inspections', path: '/inspections' },
      { nav: 'nav.notices', path: '/notices', screenshot: 'supervision-notices' },
      { nav: 'nav.sheets', path: '/sheets' },
      { nav: 'nav.problems', path: '/problems' },
      { nav: 'nav.ledger', path: '/ledger', screenshot: 'ledger' },
      { nav: 'nav.ranking', path: '/ranking' },
      { nav: 'nav.profile', path: '/profile' },
    ],
  },
  {
    role: 'admin',
    device: DESKTOP,
    visits: [
      { nav: 'nav.dashboard', path: '/dashboard' },
      { nav: 'nav.sheets', path: '/sheets' },
      { nav: 'nav.departments', path: '/admin/departments', screenshot: 'admin-departments' },
      { nav: 'nav.users', path: '/admin/users', screenshot: 'admin-users' },
      { nav: 'nav.calendar', path: '/admin/calendar', screenshot: 'admin-calendar' },
      { nav: 'nav.deadlinePolicy', path: '/admin/deadline-policy' },
      { nav: 'nav.webhooks', path: '/admin/webhooks' },
      { nav: 'nav.notifications', path: '/admin/notifications' },
    ],
  },
];

/**
 * Every main page of every role, reached from the menu as a person does: it opens with its heading and without
 * an error, axe-core finds nothing serious on it, and the README's screenshots are taken on the way. A few
 * problems in different states are there first, so the lists and counts are not empty.
 */
describe("each role's main pages", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let admin: Person;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    const { inspector, supervisor, facilities } = organisation;
    const assign = async (title: string, departmentId: string) => {
      const problem = await fileProblem(server, inspector, title);
      await sendEvent(server, supervisor, problem.id, { type: 'ASSIGN', departmentId });
      return problem.id;
    };
    await fileProblem(server, inspector, '消防通道堆放杂物');
    await assign('配电柜门未上锁', organisation.productionId);
    const started = await assign('灭火器压力不足', organisation.facilitiesId);
    await sendEvent(server, facilities, started, { type: 'START', measures: '更换灭火器', responsiblePerson: '王芳', plannedCompletionDate: '2026-12-09' });
    const closed = await assign('安全出口指示灯损坏', organisation.facilitiesId);
    await sendEvent(server, facilities, closed, { type: 'START', measures: '更换指示灯', responsiblePerson: '王芳', plannedCompletionDate: '2026-12-04' });
    await sendEvent(server, facilities, closed, { type: 'SUBMIT', summary: '指示灯已更换' });
    await sendEvent(server, inspector, closed, { type: 'APPROVE', comment: '复查合格' });
    await sendEvent(server, supervisor, closed, { type: 'CLOSE', comment: '同意销号' });
    admin = await adminPerson(server);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function visit(page: Page, phone: boolean, { nav, path, screenshot: name }: Visit, where: string): Promise<void> {
    // On a phone the menu folds away behind Ant Design's unlabelled trigger, which a role cannot find: go by address.
    if (phone) await page.goto(path);
    else await page.getByRole('navigation').getByRole('link', { name: t(nav), exact: true }).click();
    await page.waitForURL((url) => url.pathname === path);
    await page.getByRole('main').getByRole('heading', { level: 2 }).first().waitFor();
    await audit.check(page, where);
    expect(await page.getByText(t('app.error'), { exact: true }).count()).toBe(0);
    if (name) await screenshot(page, name);
  }

  for (const tour of TOURS) {
    it(`the ${tour.role}'s pages`, async () => {
      const person = tour.role === 'admin' ? admin : organisation[tour.role === 'department' ? 'facilities' : tour.role];
      const { context, page } = await openBrowser(browser, server, tour.device);
      await signIn(page, person.username, person.password);
      for (const step of tour.visits) await visit(page, tour.device === PHONE, step, `${step.path} (${tour.role})`);
      await context.close();
    }, 120_000);
  }

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
