import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, signIn } from './support/browser.js';
import { choose } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { adminPerson, api, INSPECTION, type Organisation, type Person, seedOrganisation, sendEvent } from './support/seed.js';

/** The supervision office preset's kind of matter the problem is filed under, and its period after the admin's change. */
const CATEGORY = '一般督办事项';
const CHANGED_DAYS = 10;
const NOTE = '一般督办事项按 10 个工作日办结';
const TITLE = '园区道路井盖缺失';
/** The preset's ladder, by the names a supervision office gives its steps. */
const STEPS = ['督办通知书', '提醒书', '告诫书', '约谈', '问责'];
/** The light rule the admin chooses instead of the preset's: by progress, yellow and red from these points behind the plan. */
const YELLOW_LAG = 20;
const RED_LAG = 40;

interface Preset {
  key: string;
  description: string;
  draft: {
    name: string;
    categories: Array<{ category: string }>;
    escalation: Array<{ level: number; name: string; workingDaysAfterDeadline: number }>;
    lights: { kind: string; blackFromEscalationLevel: number | null };
    ranking: Record<string, number | null>;
  };
}

interface Explanation {
  policy: { id: string; version: number; name: string };
  basis: { kind: string; workingDays?: number; policyVersion?: number } | null;
  schedule: Array<{ kind: string; level?: number; name?: string; workingDaysAfterDeadline?: number }>;
}

/** A row of a table as column header → cell text (what a person reads in each column). */
async function rowRecord(row: Locator): Promise<Record<string, string>> {
  const headers = await row.locator('xpath=ancestor::table[1]').getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cells).toHaveLength(headers.length);
  return Object.fromEntries(headers.map((header, index) => [header.trim(), cells[index].trim()]));
}

/**
 * The administrator publishes a new deadline policy (整改时限规定) from the supervision office preset (督查督办),
 * one period changed; a problem of one of its kinds of matter assigned afterwards runs under that version, and
 * its deadline explanation says so.
 */
describe('the deadline policy: published by the admin, followed by the next problem assigned', () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let admin: Person;
  let page: Page;
  let office: Preset;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    admin = await adminPerson(server);
    office = (await api<Preset[]>(server, admin.token, 'GET', '/admin/deadline-policy/presets')).find((preset) => preset.key === 'supervision-office')!;
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the admin starts from the 督查督办 preset, changes a period and the light rule and publishes: version 2 is in force and in the history', async () => {
    // given: the admin on 整改时限规定, the built-in version 1 in force
    await signIn(page, admin.username, admin.password, '/admin/users');
    await page.getByRole('navigation').getByRole('link', { name: t('nav.deadlinePolicy'), exact: true }).click();
    await page.getByRole('heading', { level: 2, name: t('admin.deadlinePolicy.title') }).waitFor();
    const inForce = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 3, name: t('admin.deadlinePolicy.inForce') }) });
    await inForce.getByText(t('admin.deadlinePolicy.versionN', { version: 1 }), { exact: true }).waitFor();
    await inForce.getByText(t('admin.deadlinePolicy.builtIn'), { exact: true }).waitFor();

    // when: the preset fills the form, one category's period is changed, and it is published with a note
    await choose(page, page, t('admin.deadlinePolicy.preset'), `${office.draft.name} · ${office.description}`);
    const field = (label: string) => page.getByLabel(label, { exact: true });
    await eventually(async () => expect(await field(t('admin.deadlinePolicy.name')).inputValue()).toBe(office.draft.name));
    const row = office.draft.categories.findIndex((periods) => periods.category === CATEGORY) + 1;
    expect(await field(t('admin.deadlinePolicy.categoryName', { n: row })).inputValue()).toBe(CATEGORY);
    await field(t('admin.deadlinePolicy.categoryDays', { n: row, severity: t('severity.general') })).fill(String(CHANGED_DAYS));
    // the preset's list thresholds (红黄黑榜) shown in percent, as an admin reads them
    expect(await field(t('admin.deadlinePolicy.yellowBelow')).inputValue()).toBe(String(Math.round(Number(office.draft.ranking.yellowBelowOnTimeRate) * 10_000) / 100));
    // the preset's five named steps, one a row of the ladder
    expect(office.draft.escalation.map((step) => step.name)).toEqual(STEPS);
    for (const [index, name] of STEPS.entries()) expect(await field(t('admin.deadlinePolicy.stepNameOf', { level: index + 1 })).inputValue()).toBe(name);
    expect(await page.getByLabel(t('admin.deadlinePolicy.stepNameOf', { level: STEPS.length + 1 }), { exact: true }).count()).toBe(0);
    // the light rule: the preset's by time left, switched to by progress, yellow and red by points behind the plan
    expect(office.draft.lights.kind).toBe('timeLeft');
    expect(await page.getByLabel(t('admin.deadlinePolicy.lightRule.timeLeft'), { exact: true }).isChecked()).toBe(true);
    await page.getByText(t('admin.deadlinePolicy.lightRule.progress'), { exact: true }).click();
    await field(t('admin.deadlinePolicy.yellowLag')).fill(String(YELLOW_LAG));
    await field(t('admin.deadlinePolicy.redLag')).fill(String(RED_LAG));
    await field(t('admin.deadlinePolicy.publishNote')).fill(NOTE);
    await audit.check(page, 'the deadline policy draft from a preset');
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/admin/deadline-policy'));
    await page.getByRole('button', { name: button('admin.deadlinePolicy.publish') }).click();
    expect((await answer).status()).toBe(201);

    // then: version 2 is in force, first in the history, with who published it and why
    await page.getByText(t('admin.deadlinePolicy.published', { version: 2 }), { exact: true }).waitFor();
    await inForce.getByText(t('admin.deadlinePolicy.versionN', { version: 2 }), { exact: true }).waitFor();
    const history = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 3, name: t('admin.deadlinePolicy.history') }) });
    const rows = history.locator('.ant-table-tbody tr.ant-table-row');
    await eventually(async () => expect(await rows.count()).toBe(2));
    expect(await rowRecord(rows.first())).toEqual(
      expect.objectContaining({
        [t('admin.deadlinePolicy.version')]: t('admin.deadlinePolicy.versionN', { version: 2 }),
        [t('admin.deadlinePolicy.name')]: office.draft.name,
        [t('admin.deadlinePolicy.publishedBy')]: 'Administrator',
        [t('admin.deadlinePolicy.note')]: NOTE,
      }),
    );
    expect(await rowRecord(rows.nth(1))).toEqual(expect.objectContaining({ [t('admin.deadlinePolicy.publishedBy')]: t('admin.deadlinePolicy.builtIn') }));
    await audit.check(page, 'the deadline policy after publishing');
    const current = await api<{
      policy: {
        version: number;
        categories: Array<{ category: string; rectificationWorkingDays: { general: number } }>;
        escalation: Array<{ level: number; name: string }>;
        lights: Record<string, unknown>;
        ranking: Record<string, number | null>;
      };
    }>(server, organisation.inspector.token, 'GET', '/deadline-policy');
    expect(current.policy.version).toBe(2);
    // published as rates from 0 to 1, as the preset has them
    expect(current.policy.ranking).toEqual(office.draft.ranking);
    expect(current.policy.categories.find((periods) => periods.category === CATEGORY)?.rectificationWorkingDays.general).toBe(CHANGED_DAYS);
    // the steps under their names, the light rule by progress (black still from the preset's step, 约谈)
    expect(current.policy.escalation.map((step) => [step.level, step.name])).toEqual(STEPS.map((name, index) => [index + 1, name]));
    expect(current.policy.lights).toEqual({ kind: 'progress', yellowLagPoints: YELLOW_LAG, redLagPoints: RED_LAG, blackFromEscalationLevel: office.draft.lights.blackFromEscalationLevel });
    // and the form, loaded from version 2, shows them
    expect(await field(t('admin.deadlinePolicy.stepNameOf', { level: 4 })).inputValue()).toBe('约谈');
    expect(await field(t('admin.deadlinePolicy.redLag')).inputValue()).toBe(String(RED_LAG));
  }, 60_000);

  it("a problem of that kind of matter assigned now runs under version 2, and its page's deadline explanation says so", async () => {
    // given: the inspector files a general problem of 一般督办事项 and assigns it (through the API)
    const { id } = await api<{ id: string }>(server, organisation.inspector.token, 'POST', '/problems', {
      inspectionRef: INSPECTION,
      title: TITLE,
      description: `${TITLE}：现场检查发现`,
      category: CATEGORY,
      severity: 'general',
      location: '园区北门道路',
      requirement: '补装井盖并设置警示',
    });
    await sendEvent(server, organisation.inspector, id, { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });

    // when: the inspector opens its page
    const inspector = (await openBrowser(browser, server, DESKTOP)).page;
    await signIn(inspector, organisation.inspector.username, organisation.inspector.password, `/problems/${id}`);
    await inspector.waitForURL(`**/problems/${id}`);

    // then: the deadline explanation names the policy and its version, and counts the category's changed period
    const explanation = inspector.locator('.ant-card').filter({ has: inspector.getByRole('heading', { level: 3, name: t('department.deadline.title') }) });
    await explanation.getByText(t('department.deadline.policy'), { exact: true }).waitFor();
    await explanation.getByText(t('department.deadline.policyVersion', { name: office.draft.name, version: 2 }), { exact: true }).waitFor();
    const counted = t('department.deadline.basis.policy', { n: CHANGED_DAYS }).split('{from}')[0];
    await explanation.getByText(new RegExp(`^${counted}`)).waitFor();
    // the planned escalations by the names version 2 gives its steps
    const first = office.draft.escalation[0];
    await explanation.getByText(t('department.deadline.step.escalation', { name: first.name, level: 1, n: first.workingDaysAfterDeadline }), { exact: true }).waitFor();
    await explanation.getByText(t('department.deadline.step.escalation', { name: '问责', level: 5, n: office.draft.escalation[4].workingDaysAfterDeadline }), { exact: true }).waitFor();
    await audit.check(inspector, 'the problem page under the new policy');
    const explained = await api<Explanation>(server, organisation.inspector.token, 'GET', `/problems/${id}/deadline`);
    expect(explained.policy).toEqual(expect.objectContaining({ version: 2, name: office.draft.name }));
    expect(explained.basis).toEqual(expect.objectContaining({ kind: 'policy', workingDays: CHANGED_DAYS, policyVersion: 2 }));
    expect(explained.schedule.filter((step) => step.kind === 'escalation').map((step) => step.name)).toEqual(STEPS);
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
