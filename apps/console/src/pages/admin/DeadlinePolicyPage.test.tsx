import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../../test/render';
import type { DeadlinePolicyDraft, PublishedPolicy } from '../../api/views';
import DeadlinePolicyPage from './DeadlinePolicyPage';

const BUILT_IN: PublishedPolicy = {
  policy: {
    id: 'default',
    version: 1,
    name: 'Default periods',
    rectificationWorkingDays: { critical: 3, major: 10, general: 20, minor: 30 },
    categories: [],
    remindersBeforeWorkingDays: [3, 1],
    escalation: [
      { level: 1, workingDaysAfterDeadline: 0, recipients: 'departmentHead' },
      { level: 2, workingDaysAfterDeadline: 3, recipients: 'supervisingOffice' },
      { level: 3, workingDaysAfterDeadline: 10, recipients: 'leadership' },
    ],
    verificationWorkingDays: 5,
    lights: { kind: 'timeLeft', blackFromEscalationLevel: 3 },
    ranking: { redFromOnTimeRate: 0.95, yellowBelowOnTimeRate: 0.8, yellowFromOverdue: 1, blackBelowOnTimeRate: 0.6, blackFromEscalated: 3 },
  },
  publication: null,
};

const IN_FORCE: PublishedPolicy = {
  policy: { ...BUILT_IN.policy, version: 2, name: 'Safety inspection 2026', remindersBeforeWorkingDays: [2] },
  publication: { actorId: 'user-admin', actorName: 'Zhou Qiang', at: '2026-03-02T02:00:00.000Z', note: 'One reminder is enough' },
};

const OFFICE: DeadlinePolicyDraft = {
  name: 'Supervision office limits',
  rectificationWorkingDays: { critical: 5, major: 15, general: 15, minor: 15 },
  categories: [{ category: 'Urgent instruction', rectificationWorkingDays: { critical: 1, major: 3, general: 5, minor: 5 } }],
  remindersBeforeWorkingDays: [3, 1],
  escalation: [
    { level: 1, workingDaysAfterDeadline: 0, recipients: 'departmentHead' },
    { level: 2, workingDaysAfterDeadline: 2, recipients: 'supervisingOffice' },
  ],
  verificationWorkingDays: 5,
  lights: { kind: 'timeLeft', blackFromEscalationLevel: 2 },
};

type Answer = { status?: number; json: unknown };

/** The policy API as this screen uses it: a publication is kept and becomes the version in force, unless `refuse` answers instead. */
function policyApi(refuse?: () => Answer) {
  const versions: PublishedPolicy[] = [IN_FORCE, BUILT_IN];
  return fakeFetch({
    'GET /deadline-policy': () => ({ json: versions[0] }),
    'GET /deadline-policy/versions': () => ({ json: versions }),
    'GET /admin/deadline-policy/presets': () => ({ json: [{ key: 'supervision-office', description: 'urgent 1–5, ordinary 15, difficult 30', draft: OFFICE }] }),
    'POST /admin/deadline-policy': (body) => {
      if (refuse) return refuse();
      const { policy, note } = body as { policy: DeadlinePolicyDraft; note?: string };
      const published: PublishedPolicy = {
        // A draft without a light rule or ranking thresholds keeps those in force (as the server does).
        policy: {
          ...policy,
          id: 'default',
          version: versions[0].policy.version + 1,
          lights: policy.lights ?? versions[0].policy.lights,
          ranking: policy.ranking ?? versions[0].policy.ranking,
        },
        publication: { actorId: 'user-admin', actorName: 'A admin', at: '2026-04-01T02:00:00.000Z', note: note ?? '' },
      };
      versions.unshift(published);
      return { status: 201, json: published };
    },
  });
}

const RED_FROM = 'Red list: on-time rate (original deadline) at least (%), with nothing open and overdue or escalated';
const YELLOW_BELOW = 'Yellow list: on-time rate (original deadline) below (%)';
const BLACK_BELOW = 'Black list: on-time rate (original deadline) below (%)';
const BLACK_ESCALATED = 'Black list: or escalated at least (problems)';

const card = (title: string) => screen.getByRole('heading', { level: 3, name: title }).closest('.ant-card') as HTMLElement;
const field = (label: string) => screen.getByLabelText(label);
const change = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const posted = (api: ReturnType<typeof fakeFetch>) => api.calls.find((call) => call.method === 'POST' && call.path === '/admin/deadline-policy')?.body;

describe('DeadlinePolicyPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the version in force, who published it and why, and the version history', async () => {
    vi.stubGlobal('fetch', policyApi().fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });

    const inForce = within(await screen.findByRole('heading', { level: 3, name: 'In force' }).then((heading) => heading.closest('.ant-card') as HTMLElement));
    expect(inForce.getByText('Safety inspection 2026')).toBeTruthy();
    expect(inForce.getByText('Version 2')).toBeTruthy();
    expect(inForce.getByText('Zhou Qiang')).toBeTruthy();
    expect(inForce.getByText('One reminder is enough')).toBeTruthy();
    // the form starts from it
    expect((field('Name') as HTMLInputElement).value).toBe('Safety inspection 2026');
    expect((field('Major') as HTMLInputElement).value).toBe('10');
    expect((field('Reminder 1: working days before the deadline') as HTMLInputElement).value).toBe('2');
    expect(screen.queryByLabelText('Reminder 2: working days before the deadline')).toBeNull();
    expect((field('Level 2: working days after the deadline') as HTMLInputElement).value).toBe('3');
    // the history, newest first; the built-in version published by nobody
    const history = within(card('Version history'));
    await waitFor(() => expect(history.getAllByRole('row')).toHaveLength(3));
    const rows = history.getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['Version 2', 'Safety inspection 2026', '02/03/2026, 10:00', 'Zhou Qiang', 'One reminder is enough'],
      ['Version 1', 'Default periods', '—', 'Built in', '—'],
    ]);
  }, 60_000);

  it('publishes the edited draft based on the version it was loaded from, and then shows the new version', async () => {
    // given
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    // when the admin changes the major period, adds a category (it starts from the periods above) and publishes
    change('Major', '12');
    fireEvent.click(screen.getByRole('button', { name: 'Add a category' }));
    change('Category 1', ' Fire safety ');
    change('Category 1: Critical (working days)', '1');
    change('Note', 'Major findings get two more days');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then the body names the base version and the whole draft, levels numbered by their rows
    await waitFor(() =>
      expect(posted(api)).toEqual({
        basedOnVersion: 2,
        note: 'Major findings get two more days',
        policy: {
          name: 'Safety inspection 2026',
          rectificationWorkingDays: { critical: 3, major: 12, general: 20, minor: 30 },
          categories: [{ category: 'Fire safety', rectificationWorkingDays: { critical: 1, major: 12, general: 20, minor: 30 } }],
          remindersBeforeWorkingDays: [2],
          escalation: [
            { level: 1, workingDaysAfterDeadline: 0, recipients: 'departmentHead' },
            { level: 2, workingDaysAfterDeadline: 3, recipients: 'supervisingOffice' },
            { level: 3, workingDaysAfterDeadline: 10, recipients: 'leadership' },
          ],
          verificationWorkingDays: 5,
          // the light rule's field left as loaded: black from level 3
          lights: { kind: 'timeLeft', blackFromEscalationLevel: 3 },
          // the list thresholds as loaded
          ranking: BUILT_IN.policy.ranking,
        },
      }),
    );
    expect(await screen.findByText('Version 3 published')).toBeTruthy();
    await waitFor(() => expect(within(card('In force')).getByText('Version 3')).toBeTruthy());
    await waitFor(() => expect(within(card('Version history')).getAllByRole('row')).toHaveLength(4));
    expect(screen.getByText('Based on version 3')).toBeTruthy();
    expect((field('Note') as HTMLTextAreaElement).value).toBe('');
  }, 60_000);

  it("puts a 400's field errors on the fields it names, rows of the lists included", async () => {
    // given a server that refuses the ladder's order and a category
    const message = 'Step 2 must come later after the deadline than step 1.';
    const twice = 'Category Fire safety is listed twice.';
    const api = policyApi(() => ({
      status: 400,
      json: {
        code: 'VALIDATION_FAILED',
        message: `${message} ${twice}`,
        details: {
          fields: [
            { field: 'escalation.1.workingDaysAfterDeadline', messages: [message] },
            { field: 'categories.0.category', messages: [twice] },
          ],
        },
      },
    }));
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    // when
    change('Level 2: working days after the deadline', '0');
    fireEvent.click(screen.getByRole('button', { name: 'Add a category' }));
    change('Category 1', 'Fire safety');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then each message is under its field (a step's, a category's), and not above the form
    const shown = await screen.findByText(message);
    expect(shown.closest('.ant-form-item')?.querySelector('input')?.getAttribute('aria-label')).toBe('Level 2: working days after the deadline');
    expect(screen.getByText(twice).closest('.ant-form-item')?.querySelector('input')?.getAttribute('aria-label')).toBe('Category 1');
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.escalation[1]).toEqual({ level: 2, workingDaysAfterDeadline: 0, recipients: 'supervisingOffice' });
  }, 60_000);

  it('says to reload when someone published first, and reloads the version in force into the form', async () => {
    const api = policyApi(() => ({
      status: 409,
      json: { code: 'POLICY.VERSION_CONFLICT', message: 'Someone else published the deadline policy first (version 3 is in force); reload it and try again.', details: { version: 3 } },
    }));
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    change('Major', '12');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    expect(await screen.findByText(/Someone published a new version while you were editing/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect((field('Major') as HTMLInputElement).value).toBe('10'));
    expect(screen.queryByText(/Someone published a new version/)).toBeNull();
  }, 60_000);

  it('shows the list thresholds in percent and publishes them as rates from 0 to 1', async () => {
    // given
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');
    expect((field(RED_FROM) as HTMLInputElement).value).toBe('95');
    expect((field(YELLOW_BELOW) as HTMLInputElement).value).toBe('80');
    expect((field(BLACK_BELOW) as HTMLInputElement).value).toBe('60');
    expect((field(BLACK_ESCALATED) as HTMLInputElement).value).toBe('3');

    // when the admin lowers the red list to 92.5% and lists black from two escalated problems
    change(RED_FROM, '92.5');
    change(BLACK_ESCALATED, '2');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then the rates go as 0–1, the counts as they are
    await waitFor(() =>
      expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.ranking).toEqual({
        redFromOnTimeRate: 0.925,
        yellowBelowOnTimeRate: 0.8,
        yellowFromOverdue: 1,
        blackBelowOnTimeRate: 0.6,
        blackFromEscalated: 2,
      }),
    );
    expect(await screen.findByText('Version 3 published')).toBeTruthy();
    await waitFor(() => expect((field(RED_FROM) as HTMLInputElement).value).toBe('92.5'));
  }, 60_000);

  it("puts a 400 on a list threshold next to it, and the server's word on the thresholds together under their section", async () => {
    // given a server that refuses the yellow list's rate
    const message = 'ranking.yellowBelowOnTimeRate must be a rate from 0 to 1 (e.g. 0.8 for 80%).';
    const order = 'The rates must rise from the black list to the yellow to the red: black below ≤ yellow below ≤ red from.';
    const api = policyApi(() => ({
      status: 400,
      json: {
        code: 'VALIDATION_FAILED',
        message: `${message} ${order}`,
        details: {
          fields: [
            { field: 'ranking.yellowBelowOnTimeRate', messages: [message] },
            { field: 'ranking', messages: [order] },
          ],
        },
      },
    }));
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    // when the admin sets the yellow list's rate, says escalations never list a department black, and publishes
    change(YELLOW_BELOW, '85.5');
    fireEvent.mouseDown(field('Black list: escalations'));
    fireEvent.click(await screen.findByText('Never by escalations', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(screen.queryByLabelText(BLACK_ESCALATED)).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then the field's message is under it, the one on the thresholds together under their section, none above the form
    const shown = await screen.findByText(message);
    expect(shown.closest('.ant-form-item')?.querySelector('input')?.id).toBe(field(YELLOW_BELOW).id);
    expect(screen.getByText(order)).toBeTruthy();
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.ranking).toEqual({
      redFromOnTimeRate: 0.95,
      yellowBelowOnTimeRate: 0.855,
      yellowFromOverdue: 1,
      blackBelowOnTimeRate: 0.6,
      blackFromEscalated: null,
    });
  }, 60_000);

  it("refuses in the form a yellow list's rate outside the black's and the red's, without asking the server", async () => {
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    change(YELLOW_BELOW, '97');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    const shown = await screen.findByText("Between the black list's rate and the red list's (black ≤ yellow ≤ red)");
    expect(shown.closest('.ant-form-item')?.querySelector('input')?.id).toBe(field(YELLOW_BELOW).id);
    expect(posted(api)).toBeUndefined();
  }, 60_000);

  it("fills the form from a preset without publishing it; published, the preset keeps its light rule, and the list thresholds in force it leaves out", async () => {
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    fireEvent.mouseDown(field('Start from a preset'));
    fireEvent.click(await screen.findByText('Supervision office limits · urgent 1–5, ordinary 15, difficult 30', { selector: '.ant-select-item-option-content' }));

    await waitFor(() => expect((field('Name') as HTMLInputElement).value).toBe('Supervision office limits'));
    expect((field('Major') as HTMLInputElement).value).toBe('15');
    expect((field('Category 1') as HTMLInputElement).value).toBe('Urgent instruction');
    expect((field('Category 1: Major (working days)') as HTMLInputElement).value).toBe('3');
    expect((field('Reminder 2: working days before the deadline') as HTMLInputElement).value).toBe('1');
    expect(screen.queryByLabelText('Level 3: working days after the deadline')).toBeNull();
    expect(api.calls.some((call) => call.method === 'POST')).toBe(false);

    // (the form shows the thresholds the preset leaves out as they are in force, and sends them so: as the server would keep them)
    expect((field(YELLOW_BELOW) as HTMLInputElement).value).toBe('80');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));
    await waitFor(() => expect(posted(api)).toEqual({ basedOnVersion: 2, policy: { ...OFFICE, ranking: IN_FORCE.policy.ranking } }));
  }, 60_000);

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', policyApi().fetch);
    const { container } = renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');
    await waitFor(() => expect(within(card('Version history')).getAllByRole('row')).toHaveLength(3));
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 60_000);
});
