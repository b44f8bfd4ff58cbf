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
      { level: 1, name: '一级督办', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: null },
      { level: 2, name: '二级督办', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', responseWorkingDays: null },
      { level: 3, name: '挂牌督办', workingDaysAfterDeadline: 10, recipients: 'leadership', responseWorkingDays: null },
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
    { level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: 3 },
    { level: 2, name: '提醒书', workingDaysAfterDeadline: 2, recipients: 'supervisingOffice', responseWorkingDays: null },
  ],
  verificationWorkingDays: 5,
  lights: { kind: 'timeLeft', blackFromEscalationLevel: 2 },
};

type Answer = { status?: number; json: unknown };

/** The version in force lighting problems by progress against the plan. */
const BY_PROGRESS: PublishedPolicy = {
  policy: { ...IN_FORCE.policy, lights: { kind: 'progress', yellowLagPoints: 15, redLagPoints: 35, blackFromEscalationLevel: 2 } },
  publication: IN_FORCE.publication,
};

/**
 * The policy API as this screen uses it: a publication is kept and becomes the version in force, unless `refuse`
 * answers instead; `inForce` is the version in force at first, the presets those the screen offers.
 */
function policyApi(refuse?: () => Answer, inForce: PublishedPolicy = IN_FORCE, presets: DeadlinePolicyDraft[] = [OFFICE]) {
  const versions: PublishedPolicy[] = [inForce, BUILT_IN];
  return fakeFetch({
    'GET /deadline-policy': () => ({ json: versions[0] }),
    'GET /deadline-policy/versions': () => ({ json: versions }),
    'GET /admin/deadline-policy/presets': () => ({
      json: presets.map((draft, index) => ({ key: index === 0 ? 'supervision-office' : `preset-${index}`, description: index === 0 ? 'urgent 1–5, ordinary 15, difficult 30' : 'another', draft })),
    }),
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
const YELLOW_LAG = 'Yellow when behind the plan by at least (percentage points)';
const RED_LAG = 'Red when behind the plan by at least (percentage points)';

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
          // the steps' names as loaded
          escalation: [
            { level: 1, name: '一级督办', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: null },
            { level: 2, name: '二级督办', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', responseWorkingDays: null },
            { level: 3, name: '挂牌督办', workingDaysAfterDeadline: 10, recipients: 'leadership', responseWorkingDays: null },
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
    expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.escalation[1]).toEqual({ level: 2, name: '二级督办', workingDaysAfterDeadline: 0, recipients: 'supervisingOffice', responseWorkingDays: null });
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

  it("shows each ladder step's name, names a new step by its level, and publishes the names", async () => {
    // given
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');
    expect((field('Level 1: name') as HTMLInputElement).value).toBe('一级督办');
    expect((field('Level 3: name') as HTMLInputElement).value).toBe('挂牌督办');

    // when the admin renames the first step and adds a fourth (it starts named 四级督办), later than the third
    change('Level 1: name', ' 督办通知书 ');
    fireEvent.click(screen.getByRole('button', { name: 'Add a level' }));
    expect((field('Level 4: name') as HTMLInputElement).value).toBe('四级督办');
    change('Level 4: working days after the deadline', '15');
    // and asks the second step's sheet for a written response within 5 working days
    expect((field('Level 2: working days for a written response (empty: none asked)') as HTMLInputElement).value).toBe('');
    change('Level 2: working days for a written response (empty: none asked)', '5');
    // (the black light's choice names the steps too)
    fireEvent.mouseDown(field('Black from'));
    expect(await screen.findByText('Level 4 · 四级督办', { selector: '.ant-select-item-option-content' })).toBeTruthy();
    expect(screen.getByText('Level 1 · 督办通知书', { selector: '.ant-select-item-option-content' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then every step goes with its name, trimmed, and its written response (none where none was asked)
    await waitFor(() =>
      expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.escalation).toEqual([
        { level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: null },
        { level: 2, name: '二级督办', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', responseWorkingDays: 5 },
        { level: 3, name: '挂牌督办', workingDaysAfterDeadline: 10, recipients: 'leadership', responseWorkingDays: null },
        { level: 4, name: '四级督办', workingDaysAfterDeadline: 15, recipients: 'leadership', responseWorkingDays: null },
      ]),
    );
    expect(await screen.findByText('Version 3 published')).toBeTruthy();
    await waitFor(() => expect((field('Level 1: name') as HTMLInputElement).value).toBe('督办通知书'));
  }, 60_000);

  it('refuses in the form a step named as another or not named, without asking the server', async () => {
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    change('Level 2: name', '一级督办 ');
    change('Level 3: name', ' ');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    const twice = await screen.findByText('A level above has this name');
    expect(twice.closest('.ant-form-item')?.querySelector('input')?.getAttribute('aria-label')).toBe('Level 2: name');
    expect(within(field('Level 3: name').closest('.ant-form-item') as HTMLElement).getByText('Required')).toBeTruthy();
    expect(posted(api)).toBeUndefined();
  }, 60_000);

  it('lights by progress when the admin chooses that rule, and sends its lags in points', async () => {
    // given the rule by time left in force: no lag fields
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');
    expect((screen.getByLabelText('By time left') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText(YELLOW_LAG)).toBeNull();

    // when the admin chooses the rule by progress, yellow from 20 points behind, red from 40, and publishes
    fireEvent.click(screen.getByLabelText('By progress against the plan'));
    expect(await screen.findByText(/By progress: the plan is the share of the working days/)).toBeTruthy();
    change(YELLOW_LAG, '20');
    change(RED_LAG, '40');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then the rule goes as the server takes it, black still from the step as loaded
    await waitFor(() =>
      expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.lights).toEqual({ kind: 'progress', yellowLagPoints: 20, redLagPoints: 40, blackFromEscalationLevel: 3 }),
    );
    expect(await screen.findByText('Version 3 published')).toBeTruthy();
    // and the form shows the rule now in force
    await waitFor(() => expect((field(RED_LAG) as HTMLInputElement).value).toBe('40'));
    expect((screen.getByLabelText('By progress against the plan') as HTMLInputElement).checked).toBe(true);
  }, 60_000);

  it('refuses in the form a red lag not beyond the yellow, without asking the server', async () => {
    const api = policyApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    fireEvent.click(screen.getByLabelText('By progress against the plan'));
    await screen.findByLabelText(YELLOW_LAG);
    change(YELLOW_LAG, '30');
    change(RED_LAG, '30');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    const shown = await screen.findByText("More points than yellow's");
    expect(shown.closest('.ant-form-item')?.querySelector('input')?.id).toBe(field(RED_LAG).id);
    expect(posted(api)).toBeUndefined();
  }, 60_000);

  it('keeps the rule by progress in force when the admin leaves it as it is, and back on time left sends no lags', async () => {
    // given the rule by progress in force
    const api = policyApi(undefined, BY_PROGRESS);
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');
    expect((screen.getByLabelText('By progress against the plan') as HTMLInputElement).checked).toBe(true);
    expect((field(YELLOW_LAG) as HTMLInputElement).value).toBe('15');
    expect((field(RED_LAG) as HTMLInputElement).value).toBe('35');

    // when the admin changes a period only and publishes
    change('Major', '12');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then the rule goes as it was loaded
    await waitFor(() => expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.lights).toEqual(BY_PROGRESS.policy.lights));
    expect(await screen.findByText('Version 3 published')).toBeTruthy();

    // and switched back to time left, the lags are not sent
    fireEvent.click(screen.getByLabelText('By time left'));
    await waitFor(() => expect(screen.queryByLabelText(YELLOW_LAG)).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));
    await waitFor(() => expect(api.calls.filter((call) => call.method === 'POST')).toHaveLength(2));
    expect((api.calls.filter((call) => call.method === 'POST')[1].body as { policy: DeadlinePolicyDraft }).policy.lights).toEqual({ kind: 'timeLeft', blackFromEscalationLevel: 2 });
  }, 60_000);

  it('shows the rule in force for a preset that leaves the light rule out, and sends it so', async () => {
    const { lights: _lights, ...withoutLights } = OFFICE;
    const api = policyApi(undefined, BY_PROGRESS, [withoutLights]);
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    fireEvent.mouseDown(field('Start from a preset'));
    fireEvent.click(await screen.findByText('Supervision office limits · urgent 1–5, ordinary 15, difficult 30', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect((field('Name') as HTMLInputElement).value).toBe('Supervision office limits'));
    expect((field('Level 1: name') as HTMLInputElement).value).toBe('督办通知书');
    expect((field(YELLOW_LAG) as HTMLInputElement).value).toBe('15');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    await waitFor(() => expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.lights).toEqual(BY_PROGRESS.policy.lights));
  }, 60_000);

  it("puts a 400 on a lag or a step's name next to the field, and the server's word on the rule together under its section", async () => {
    // given a server that refuses the red lag, the second step's name and the rule as a whole
    const lag = 'lights.redLagPoints must be more than lights.yellowLagPoints.';
    const name = 'Step 2 has the name of step 1.';
    const rule = 'The light rule is not one this server knows.';
    const api = policyApi(
      () => ({
        status: 400,
        json: {
          code: 'VALIDATION_FAILED',
          message: `${lag} ${name} ${rule}`,
          details: {
            fields: [
              { field: 'lights.redLagPoints', messages: [lag] },
              { field: 'escalation.1.name', messages: [name] },
              { field: 'lights', messages: [rule] },
            ],
          },
        },
      }),
      BY_PROGRESS,
    );
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<DeadlinePolicyPage />, { role: 'admin' });
    await screen.findByDisplayValue('Safety inspection 2026');

    // when
    change('Level 2: name', '督办通知');
    fireEvent.click(screen.getByRole('button', { name: 'Publish a new version' }));

    // then each message is under its field, the rule's under its section, none above the form
    const shown = await screen.findByText(lag);
    expect(shown.closest('.ant-form-item')?.querySelector('input')?.id).toBe(field(RED_LAG).id);
    expect(screen.getByText(name).closest('.ant-form-item')?.querySelector('input')?.getAttribute('aria-label')).toBe('Level 2: name');
    expect(screen.getByText(rule)).toBeTruthy();
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect((posted(api) as { policy: DeadlinePolicyDraft }).policy.escalation[1].name).toBe('督办通知');
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
