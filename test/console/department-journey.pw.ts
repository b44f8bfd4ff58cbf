import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { expectActions, expectState, offeredActions, sendFromPage } from './support/console-pages.js';
import { ConsoleServer } from './support/console-server.js';
import { t } from './support/messages.js';
import { sitePhoto } from './support/photo.js';
import { api, fileProblem, type Organisation, seedOrganisation, sendEvent } from './support/seed.js';

const TITLE = '配电房门口堆放易燃纸箱';
const PROGRESS = '纸箱已清走一半，剩余待周五统一清运';
const SUSPENSION = '配电房改造施工，区域封闭期间无法整改';

/** Two weeks from today on the organisation's calendar (YYYY-MM-DD), as the department plans it. */
function inTwoWeeks(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 14 * 86_400_000));
}

interface EvidenceList {
  items: Array<{ kind: string; mediaType: string; originalName: string }>;
}

/**
 * A department clerk's work on a problem assigned to them: start with a plan, report progress, add an "after"
 * photo beside the inspector's "before" one, read why the deadline is what it is; then ask to stop the clock
 * while the area is closed, which a supervisor approves, and resume it when work can go on.
 */
describe("the department's journey", () => {
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
    // The inspector's photo of what was found (the "before" evidence).
    const photo = sitePhoto();
    const form = new FormData();
    form.append('kind', 'finding');
    form.append('file', new Blob([new Uint8Array(photo.buffer)], { type: photo.mimeType }), 'before-door.png');
    const uploaded = await fetch(`${server.baseUrl}/problems/${problemId}/evidence`, { method: 'POST', headers: { Authorization: `Bearer ${organisation.inspector.token}` }, body: form });
    if (!uploaded.ok) throw new Error(`finding upload → ${uploaded.status}: ${await uploaded.text()}`);
    // Assigned without a deadline: the policy counts one on the organisation's calendar.
    await sendEvent(server, organisation.supervisor, problemId, { type: 'ASSIGN', departmentId: organisation.facilitiesId, responsiblePerson: '王芳' });
    browser = await launchChromium();
    department = (await openBrowser(browser, server, DESKTOP)).page;
    supervisor = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const history = async () =>
    (await api<{ items: Array<{ eventType: string }> }>(server, organisation.facilities.token, 'GET', `/problems/${problemId}/history`)).items.map((row) => row.eventType);

  it('starts the work with a plan and reports progress', async () => {
    await signIn(department, organisation.facilities.username, organisation.facilities.password);
    await department.waitForURL(/\/inbox/);
    await department.getByRole('link', { name: TITLE }).click();
    await department.waitForURL(`**/problems/${problemId}`);
    await expectState(department, 'assigned');

    expect(
      await sendFromPage(department, 'START', [
        { label: t('event.field.measures'), value: '纸箱移至室外废品站，门口划设禁放区' },
        { label: t('event.field.responsiblePerson'), value: '王芳' },
        { label: t('event.field.plannedCompletionDate'), value: inTwoWeeks(), kind: 'date' },
      ]),
    ).toBe(200);
    await expectState(department, 'rectifying');
    await expectActions(department, ['REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);

    expect(
      await sendFromPage(department, 'REPORT_PROGRESS', [
        { label: t('event.field.note'), value: PROGRESS },
        { label: t('event.field.percent'), value: '50' },
      ]),
    ).toBe(200);
    // The report is in the page's history; the server keeps its note and share done. (The timeline shows an
    // event's reason or comment only, so the note itself is read from the API.)
    await department.getByText(t('event.REPORT_PROGRESS'), { exact: true }).filter({ visible: true }).first().waitFor();
    await eventually(async () => expect(await history()).toEqual(['FILE', 'ASSIGN', 'START', 'REPORT_PROGRESS']));
    const rows = await api<{ items: Array<{ eventType: string; payload: Record<string, unknown> }> }>(server, organisation.facilities.token, 'GET', `/problems/${problemId}/history`);
    expect(rows.items.find((row) => row.eventType === 'REPORT_PROGRESS')?.payload).toEqual(expect.objectContaining({ note: PROGRESS, percent: 50 }));
  }, 60_000);

  it('uploads an "after" photo, shown beside the "before" one', async () => {
    const before = department.getByRole('region', { name: t('department.evidence.before') });
    const after = department.getByRole('region', { name: t('department.evidence.after') });
    await before.getByRole('img', { name: 'before-door.png' }).waitFor();
    await after.getByText(t('department.evidence.none')).waitFor();

    // when: a photo through the gallery's upload (its input, as the camera or a file picker fills it)
    const answer = department.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith(`/problems/${problemId}/evidence`));
    await after.locator('input[type=file]').setInputFiles({ ...sitePhoto(), name: 'after-door.png' });
    expect((await answer).status()).toBe(201);

    // then: it is in the "after" column, the "before" photo still beside it
    await after.getByRole('img', { name: 'after-door.png' }).waitFor();
    await before.getByRole('img', { name: 'before-door.png' }).waitFor();
    const evidence = await api<EvidenceList>(server, organisation.facilities.token, 'GET', `/problems/${problemId}/evidence`);
    expect(evidence.items.map(({ kind, originalName }) => ({ kind, originalName })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'finding', originalName: 'before-door.png' },
      { kind: 'rectification', originalName: 'after-door.png' },
    ]);
    // Both photos really load (the browser fetched and decoded them through the session).
    await eventually(async () => {
      const widths = await department.locator('[data-evidence-kind] img').evaluateAll((images) => images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth));
      expect(widths).toEqual([160, 160]);
    });
    await audit.check(department, 'the problem page with before and after evidence');
    await screenshot(department, 'problem-evidence');
  }, 60_000);

  it('reads why the deadline is what it is', async () => {
    const explanation = department.locator('.ant-card').filter({ has: department.getByRole('heading', { level: 3, name: t('department.deadline.title') }) });
    await explanation.waitFor();
    // Minor problems get the policy's working days, counted from assignment; the clock runs.
    await explanation.getByText(/^按规定 \d+ 个工作日，自 .+ 起算$/).waitFor();
    await explanation.getByText(t('department.deadline.clock.running'), { exact: true }).waitFor();
    expect(await explanation.locator('td[data-day-kind="counted"]').count()).toBeGreaterThan(0);
    expect(await explanation.locator('td[data-day-kind="weekend"]').count()).toBeGreaterThan(0);
    await explanation.getByRole('columnheader', { name: t('department.deadline.step'), exact: true }).waitFor();
    await audit.check(department, 'the deadline explanation');
  }, 60_000);

  it('asks to suspend the clock; a supervisor approves; the department resumes it', async () => {
    // when: the department asks, with the reason
    expect(await sendFromPage(department, 'REQUEST_SUSPENSION', [{ label: t('event.field.reason'), value: SUSPENSION }])).toBe(200);
    await department.getByText(t('problem.pending.suspension')).waitFor();

    // and: a supervisor over the department sees the request and approves it
    await signIn(supervisor, organisation.supervisor.username, organisation.supervisor.password, `/problems/${problemId}`);
    await supervisor.getByText(t('problem.pending.suspension')).waitFor();
    await supervisor.getByText(SUSPENSION).first().waitFor();
    await supervisor.getByRole('button', { name: t('event.REJECT_SUSPENSION') }).waitFor();
    await audit.check(supervisor, 'the problem page with a pending suspension');
    expect(await sendFromPage(supervisor, 'APPROVE_SUSPENSION', [{ label: t('event.field.comment'), value: '同意，施工结束后恢复' }])).toBe(200);
    await supervisor.getByText(t('problem.pending.suspension')).waitFor({ state: 'hidden' });

    // then: on the department's page (live, no reload) the clock stands still and it may resume it
    await department.getByText(t('problem.pending.suspension')).waitFor({ state: 'hidden' });
    const clock = department.locator('.ant-card').filter({ has: department.getByRole('heading', { level: 3, name: t('department.deadline.title') }) });
    await clock.getByText(t('department.deadline.clock.suspended'), { exact: true }).waitFor();
    expect(await offeredActions(department)).toContain('RESUME');
    const suspended = await api<{ deadlineState: string }>(server, organisation.facilities.token, 'GET', `/problems/${problemId}`);
    expect(suspended.deadlineState).toBe('suspended');
    await audit.check(department, 'the problem page, clock suspended');

    // when: the area reopens and the department resumes the clock
    expect(await sendFromPage(department, 'RESUME', [{ label: t('event.field.comment'), value: '施工结束，继续整改' }])).toBe(200);

    // then: the clock runs again and the work can go on to submission
    await clock.getByText(t('department.deadline.clock.running'), { exact: true }).waitFor();
    await expectActions(department, ['REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);
    await eventually(async () => expect(await history()).toEqual(['FILE', 'ASSIGN', 'START', 'REPORT_PROGRESS', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION', 'RESUME']));
    await department.getByText(t('event.RESUME'), { exact: true }).filter({ visible: true }).first().waitFor();
  }, 90_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});

