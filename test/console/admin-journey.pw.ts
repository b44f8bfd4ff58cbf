import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { choose, pickDate } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { adminPerson, api, type Organisation, type Person, seedOrganisation } from './support/seed.js';

const DEPARTMENT = '维修部';
const CLERK = { name: '刘洋', username: 'liu.yang', initial: 'first-liu-yang-2026', own: 'own-liu-yang-pass-2026' };
const TOKEN_LABEL = '工单系统对接';

/** The year the calendar page opens on: this year on the organisation's clock (Asia/Shanghai). */
const YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
/** Days no national schedule touches (no holiday or 调休 falls in mid-March or mid-November), so what marks them is ours. */
const CLOSURE = { date: `${YEAR}-11-18`, reason: '年度设备检修停工' };
const HOLIDAY = { date: `${YEAR}-03-18`, name: '厂庆日' };

/** A one-day all-day event, as a calendar program exports it. */
function holidayIcs(date: string, name: string): Buffer {
  const compact = date.replace(/-/g, '');
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const end = next.toISOString().slice(0, 10).replace(/-/g, '');
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Rectification console journey//ZH', 'BEGIN:VEVENT', `UID:${compact}-founding-day@example.org`,
    `DTSTAMP:${compact}T000000Z`, `DTSTART;VALUE=DATE:${compact}`, `DTEND;VALUE=DATE:${end}`, `SUMMARY:${name}`, 'END:VEVENT', 'END:VCALENDAR', '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** How a day of the year view reads to a screen reader: its date, what it is, and why. */
const dayCell = (page: Page, date: string) => page.locator(`td[aria-label^="${date} "]`);

interface AdminUserRow {
  id: string;
  username: string;
  role: string;
  departmentId: string | null;
  mustChangePassword: boolean;
}
interface DepartmentNode {
  id: string;
  name: string;
  children: DepartmentNode[];
}

/**
 * The administrator's day in the console: a new department under the office, a clerk in it with a first
 * password (changed at first sign-in) and an API token issued and revoked; the clerk then signs in, chooses
 * their own password and finds their inbox empty. Then the calendar: a closure added, and a holiday imported
 * from an .ics file, each marked on the year view.
 */
describe("the administrator's journey", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let admin: Person;
  let page: Page;
  let issuedToken = '';

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    admin = await adminPerson(server);
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const popconfirm = () => page.locator('.ant-popconfirm').filter({ visible: true });

  it('creates a department under the office', async () => {
    await signIn(page, admin.username, admin.password, '/admin/departments');
    await page.getByRole('heading', { level: 2, name: t('admin.departments.title') }).waitFor();

    // when: 新建下级 on the office's row, a name, 保存
    await row('安全督查办').getByRole('button', { name: button('admin.departments.createUnder') }).click();
    const dialog = page.getByRole('dialog', { name: t('admin.departments.create') });
    await dialog.getByLabel(t('admin.departments.name'), { exact: true }).fill(DEPARTMENT);
    await audit.check(page, 'the new-department dialog');
    await dialog.getByRole('button', { name: button('app.save') }).click();
    await dialog.waitFor({ state: 'hidden' });

    // then: the tree shows it, and it sits under the office
    await page.getByRole('cell', { name: DEPARTMENT, exact: true }).waitFor();
    const tree = (await api<{ items: DepartmentNode[] }>(server, admin.token, 'GET', '/admin/departments')).items;
    const office = tree.find((node) => node.id === organisation.officeId);
    expect(office?.children.map((child) => child.name)).toContain(DEPARTMENT);
  }, 60_000);

  it('creates a department clerk in it with a first password, and issues and revokes an API token', async () => {
    await page.getByRole('navigation').getByRole('link', { name: t('nav.users'), exact: true }).click();
    await page.getByRole('heading', { level: 2, name: t('admin.users.title') }).waitFor();

    // when: 新建用户 with role 责任部门 in the new department
    await page.getByRole('button', { name: button('admin.users.create') }).click();
    const create = page.getByRole('dialog', { name: t('admin.users.create') });
    await create.getByLabel(t('admin.users.name'), { exact: true }).fill(CLERK.name);
    await create.getByLabel(t('admin.users.username'), { exact: true }).fill(CLERK.username);
    await choose(create, page, t('admin.users.role'), t('role.department'));
    await choose(create, page, t('admin.users.department'), DEPARTMENT);
    await create.getByRole('button', { name: button('app.save') }).click();

    // then: the answer shows the first token once and leads on to a first password
    const created = page.getByRole('dialog', { name: t('admin.users.created', { name: CLERK.name, username: CLERK.username }) });
    await created.getByLabel(t('admin.users.firstToken')).waitFor();
    await created.getByRole('button', { name: button('admin.users.setPassword') }).click();
    const password = page.getByRole('dialog', { name: t('admin.users.setPasswordFor', { name: CLERK.name }) });
    await password.getByLabel(t('admin.users.password'), { exact: true }).fill(CLERK.initial);
    await password.getByRole('button', { name: button('app.save') }).click();
    await password.waitFor({ state: 'hidden' });
    await row(CLERK.username).getByText(t('admin.users.mustChangePassword')).waitFor();
    const users = await api<AdminUserRow[] | { items: AdminUserRow[] }>(server, admin.token, 'GET', '/admin/users');
    const clerk = (Array.isArray(users) ? users : users.items).find((user) => user.username === CLERK.username);
    const tree = (await api<{ items: DepartmentNode[] }>(server, admin.token, 'GET', '/admin/departments')).items;
    const department = tree.flatMap((node) => [node, ...node.children]).find((node) => node.name === DEPARTMENT);
    expect(clerk).toEqual(expect.objectContaining({ role: 'department', departmentId: department?.id, mustChangePassword: true }));
    await audit.check(page, 'the users page');

    // when: a token for an integration, from the user's API 令牌 drawer
    await row(CLERK.username).getByRole('button', { name: button('admin.users.tokens') }).click();
    const drawer = page.getByRole('dialog', { name: t('admin.tokens.title', { name: CLERK.name }) });
    await drawer.getByLabel(t('admin.tokens.label'), { exact: true }).fill(TOKEN_LABEL);
    await drawer.getByRole('button', { name: button('admin.tokens.issue') }).click();

    // then: shown once, and it works
    const shown = drawer.getByLabel(t('admin.tokens.token'), { exact: true });
    await shown.waitFor();
    issuedToken = (await shown.innerText()).trim();
    expect(issuedToken.length).toBeGreaterThan(20);
    const me = await fetch(`${server.baseUrl}/me`, { headers: { Authorization: `Bearer ${issuedToken}` } });
    expect(me.status).toBe(200);
    await drawer.getByRole('row').filter({ hasText: TOKEN_LABEL }).getByText(t('admin.active'), { exact: true }).waitFor();
    await audit.check(page, "a user's API tokens");
    await screenshot(page, 'admin-user-tokens');

    // when: revoked (吊销, confirmed)
    await drawer.getByRole('row').filter({ hasText: TOKEN_LABEL }).getByRole('button', { name: button('admin.tokens.revoke') }).click();
    await popconfirm().getByRole('button', { name: button('admin.tokens.revoke') }).click();

    // then: marked revoked, and its next use is refused
    await drawer.getByRole('row').filter({ hasText: TOKEN_LABEL }).getByText(t('admin.tokens.revoked'), { exact: true }).waitFor();
    await eventually(async () => {
      const refused = await fetch(`${server.baseUrl}/me`, { headers: { Authorization: `Bearer ${issuedToken}` } });
      await refused.body?.cancel();
      expect(refused.status).toBe(401);
    });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, 90_000);

  it('the clerk signs in, must choose their own password, and sees their empty inbox', async () => {
    const { context, page: clerk } = await openBrowser(browser, server, DESKTOP);
    await clerk.goto('/');
    await clerk.waitForURL(/\/sign-in/);
    await clerk.getByLabel(t('signIn.username')).fill(CLERK.username);
    await clerk.getByLabel(t('signIn.password')).fill(CLERK.initial);
    await clerk.getByRole('button', { name: button('signIn.submit') }).click();

    // then: the console asks for a password of their own before anything else
    await clerk.getByRole('heading', { level: 1, name: t('signIn.changePassword') }).waitFor();
    await clerk.getByLabel(t('signIn.currentPassword')).fill(CLERK.initial);
    await clerk.getByLabel(t('signIn.newPassword')).fill(CLERK.own);
    await clerk.getByRole('button', { name: button('app.save') }).click();

    // and then: their inbox, empty, with their name and role in the header
    await clerk.waitForURL((url) => url.pathname === '/inbox');
    await clerk.getByRole('heading', { level: 2, name: t('department.inbox.title') }).waitFor();
    await clerk.getByText(`${CLERK.name} · ${t('role.department')}`).waitFor();
    await clerk.getByText(t('department.inbox.empty.all')).first().waitFor();
    await audit.check(clerk, "a new clerk's empty inbox");
    await context.close();

    // The first password is spent: the admin's list no longer asks for a change.
    const users = await api<AdminUserRow[] | { items: AdminUserRow[] }>(server, admin.token, 'GET', '/admin/users');
    expect((Array.isArray(users) ? users : users.items).find((user) => user.username === CLERK.username)?.mustChangePassword).toBe(false);
    const again = await fetch(`${server.baseUrl}/auth/sign-in`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: CLERK.username, password: CLERK.own }),
    });
    await again.body?.cancel();
    expect(again.status).toBe(200);
  }, 60_000);

  it('adds a closure day on the calendar, which the year view marks', async () => {
    await page.getByRole('navigation').getByRole('link', { name: t('nav.calendar'), exact: true }).click();
    await page.getByRole('heading', { level: 2, name: t('admin.calendar.title') }).waitFor();
    await page.getByRole('heading', { level: 3, name: t('admin.calendar.year', { year: YEAR }) }).waitFor();
    await eventually(async () => expect(await dayCell(page, CLOSURE.date).getAttribute('data-day-kind')).not.toBe('closure'));

    await pickDate(page, page, t('admin.calendar.date'), CLOSURE.date);
    await page.getByLabel(t('admin.calendar.reason'), { exact: true }).fill(CLOSURE.reason);
    await page.getByRole('button', { name: button('admin.calendar.addClosure') }).click();

    await page.getByRole('cell', { name: CLOSURE.reason, exact: true }).waitFor();
    await eventually(async () => {
      expect(await dayCell(page, CLOSURE.date).getAttribute('data-day-kind')).toBe('closure');
      expect(await dayCell(page, CLOSURE.date).getAttribute('aria-label')).toBe(`${CLOSURE.date} ${t('admin.calendar.closure')}: ${CLOSURE.reason}`);
    });
    expect(await dayCell(page, CLOSURE.date).innerText()).toContain(t('admin.calendar.mark.closure'));
  }, 60_000);

  it('imports a holiday from an .ics file, which the year view marks', async () => {
    expect(await dayCell(page, HOLIDAY.date).getAttribute('data-day-kind')).not.toBe('holiday');

    // when: the file picked (its text lands in the form), imported as holidays
    await page.getByLabel(t('admin.calendar.icsFile')).setInputFiles({ name: 'founding-day.ics', mimeType: 'text/calendar', buffer: holidayIcs(HOLIDAY.date, HOLIDAY.name) });
    await eventually(async () => expect(await page.getByLabel(t('admin.calendar.icsText'), { exact: true }).inputValue()).toContain(`SUMMARY:${HOLIDAY.name}`));
    const answer = page.waitForResponse((response) => response.url().endsWith('/admin/calendar/import'));
    await page.getByRole('button', { name: button('admin.calendar.importSubmit') }).click();
    expect((await answer).status()).toBeLessThan(300);

    // then: one day imported, and the day is marked 休 with the holiday's name
    const imported = t('admin.calendar.imported', { imported: 1, skipped: 0 }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{version\\}', '\\d+');
    await page.getByText(new RegExp(`^${imported}$`)).waitFor();
    await eventually(async () => {
      expect(await dayCell(page, HOLIDAY.date).getAttribute('data-day-kind')).toBe('holiday');
      expect(await dayCell(page, HOLIDAY.date).getAttribute('aria-label')).toBe(`${HOLIDAY.date} ${t('admin.calendar.holiday')}: ${HOLIDAY.name}`);
    });
    expect(await dayCell(page, HOLIDAY.date).innerText()).toContain(t('admin.calendar.mark.holiday'));
    const days = await api<{ holidays: Record<string, string>; closures: Record<string, string> }>(server, admin.token, 'GET', `/admin/calendar/days?year=${YEAR}`);
    expect(days.holidays[HOLIDAY.date]).toBe(HOLIDAY.name);
    expect(days.closures[CLOSURE.date]).toBe(CLOSURE.reason);
    await audit.check(page, 'the calendar after a closure and an import');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
