import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/** The built-in policy as a draft, with the changes a test makes. */
function aDraft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '整改时限（2026 版）',
    rectificationWorkingDays: { critical: 2, major: 5, general: 15, minor: 20 },
    categories: [{ category: 'fire-safety', rectificationWorkingDays: { critical: 1, major: 12, general: 12, minor: 12 } }],
    remindersBeforeWorkingDays: [2],
    escalation: [
      { level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead' },
      { level: 2, name: '提醒书', workingDaysAfterDeadline: 1, recipients: 'supervisingOffice' },
      // steps sent without a name are named by their level
      { level: 3, workingDaysAfterDeadline: 2, recipients: 'leadership' },
      { level: 4, workingDaysAfterDeadline: 5, recipients: 'leadership' },
    ],
    verificationWorkingDays: 3,
    ...overrides,
  };
}

describe('The deadline policy as versioned data, edited by admins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
  });
  const publish = (body: Record<string, unknown>) => as(t.tokens.admin).post('/admin/deadline-policy', body);
  const explain = async (id: string) => (await as(t.tokens.supervisor).get(`/problems/${id}/deadline`)).body;

  /** A major problem of `category` assigned on Monday 2026-03-02, its deadline counted by the policy unless given. */
  async function assignedMajor(category: string, deadline?: string): Promise<string> {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const { id } = (await as(t.tokens.inspector).post('/problems', aFiling({ severity: 'major', category }))).body;
    const assigned = await as(t.tokens.inspector).post(`/problems/${id}/events`, {
      type: 'ASSIGN',
      departmentId: t.org.departments.facilities,
      ...(deadline === undefined ? {} : { deadline }),
    });
    expect(assigned.status).toBe(200);
    return id;
  }

  let assignedUnderOne: string;

  it('starts from the built-in policy as version 1, readable by every role, published by admins only', async () => {
    assignedUnderOne = await assignedMajor('fire-safety');

    const current = await as(t.tokens.facilities).get('/deadline-policy');

    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      policy: { id: 'default', version: 1, rectificationWorkingDays: { critical: 3, major: 10, general: 20, minor: 30 }, categories: [] },
      publication: null,
    });
    expect((await as(t.tokens.supervisor).post('/admin/deadline-policy', { basedOnVersion: 1, policy: aDraft() })).status).toBe(403);
    expect(await explain(assignedUnderOne)).toMatchObject({
      deadline: '2026-03-16T10:00:00.000Z',
      basis: { kind: 'policy', policyId: 'default', policyVersion: 1, workingDays: 10 },
      policy: { id: 'default', version: 1 },
    });
  });

  it('offers presets from practice, among them the supervision office time limits (1–5, 15, 30 working days)', async () => {
    const presets = await as(t.tokens.admin).get('/admin/deadline-policy/presets');

    expect(presets.status).toBe(200);
    const office = (presets.body as Array<{ key: string; draft: { categories: Array<{ category: string; rectificationWorkingDays: Record<string, number> }> } }>).find(
      (preset) => preset.key === 'supervision-office',
    );
    expect(office?.draft.categories.map((periods) => [periods.category, periods.rectificationWorkingDays.general])).toEqual([
      ['领导批示（紧急）', 5],
      ['一般督办事项', 15],
      ['疑难复杂事项', 30],
    ]);
  });

  it('refuses a draft out of range, out of order or with a category twice, naming each field, and publishes nothing', async () => {
    const response = await publish({
      basedOnVersion: 1,
      policy: aDraft({
        rectificationWorkingDays: { critical: 0, major: 5, general: 15, minor: 20 },
        categories: [
          { category: '消防', rectificationWorkingDays: { critical: 1, major: 2, general: 3, minor: 4 } },
          { category: '消防', rectificationWorkingDays: { critical: 1, major: 2, general: 3, minor: 4 } },
        ],
        escalation: [
          { level: 1, workingDaysAfterDeadline: 3, recipients: 'departmentHead' },
          { level: 2, workingDaysAfterDeadline: 1, recipients: 'leadership' },
        ],
      }),
    });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect((response.body.details.fields as Array<{ field: string }>).map((field) => field.field)).toEqual([
      'rectificationWorkingDays.critical',
      'escalation.1.workingDaysAfterDeadline',
      // kept from the version in force (black from level 3), which this two-step ladder lacks
      'lights.blackFromEscalationLevel',
      'categories.1.category',
    ]);
    const shapeless = await publish({ basedOnVersion: 1, policy: aDraft({ remindersBeforeWorkingDays: 'soon' }) });
    expect(shapeless.status).toBe(400);
    expect(JSON.stringify(shapeless.body.details)).toContain('remindersBeforeWorkingDays');
    expect((await as(t.tokens.admin).get('/deadline-policy')).body.policy.version).toBe(1);
  });

  it('publishes the next version; new assignments run under it, by category where it has one', async () => {
    const published = await publish({ basedOnVersion: 1, note: '按 2026 年办法调整', policy: aDraft() });

    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({
      policy: { id: 'default', version: 2, name: '整改时限（2026 版）' },
      publication: { note: '按 2026 年办法调整' },
    });
    const fireSafety = await explain(await assignedMajor('fire-safety'));
    expect(fireSafety).toMatchObject({ deadline: '2026-03-18T10:00:00.000Z', basis: { policyVersion: 2, workingDays: 12 }, policy: { version: 2 } });
    const housekeeping = await explain(await assignedMajor('housekeeping'));
    expect(housekeeping).toMatchObject({ deadline: '2026-03-09T10:00:00.000Z', basis: { policyVersion: 2, workingDays: 5 } });
    // its reminders and its ladder of four named steps are the new version's
    const schedule = housekeeping.schedule as Array<{ kind: string; workingDaysBefore?: number; level?: number; name?: string }>;
    expect(schedule.filter((step) => step.kind === 'reminder').map((step) => step.workingDaysBefore)).toEqual([2]);
    expect(schedule.filter((step) => step.kind === 'escalation').map((step) => [step.level, step.name])).toEqual([
      [1, '督办通知书'],
      [2, '提醒书'],
      [3, '三级督办'],
      [4, '四级督办'],
    ]);
    expect((published.body.policy.escalation as Array<{ name: string }>).map((step) => step.name)).toEqual(['督办通知书', '提醒书', '三级督办', '四级督办']);
  });

  it('keeps a running problem on the version it was assigned under: its deadline, reminders and ladder', async () => {
    const explained = await explain(assignedUnderOne);

    expect(explained).toMatchObject({ deadline: '2026-03-16T10:00:00.000Z', basis: { policyVersion: 1 }, policy: { version: 1 } });
    const schedule = explained.schedule as Array<{ kind: string; workingDaysBefore?: number; level?: number }>;
    expect(schedule.filter((step) => step.kind === 'reminder').map((step) => step.workingDaysBefore)).toEqual([3, 1]);
    expect(schedule.filter((step) => step.kind === 'escalation').map((step) => step.level)).toEqual([1, 2, 3]);
  });

  it('stamps an explicit deadline with the version in force, whose ladder it then runs under', async () => {
    const id = await assignedMajor('housekeeping', '2026-03-20T10:00:00.000Z');

    const explained = await explain(id);

    expect(explained).toMatchObject({ basis: { kind: 'explicit', policyId: 'default', policyVersion: 2 }, policy: { version: 2 } });
    expect((explained.schedule as Array<{ kind: string }>).filter((step) => step.kind === 'escalation')).toHaveLength(4);
  });

  it('moves a running problem to the version in force when a supervisor recounts it, and only then', async () => {
    const recount = () => as(t.tokens.supervisor).post(`/problems/${assignedUnderOne}/events`, { type: 'RECOUNT_DEADLINE', reason: '新办法施行' });

    const recounted = await recount();

    expect(recounted.status).toBe(200);
    expect(await explain(assignedUnderOne)).toMatchObject({
      deadline: '2026-03-18T10:00:00.000Z',
      basis: { kind: 'policy', policyVersion: 2, workingDays: 12, from: '2026-03-02T01:00:00.000Z' },
      policy: { version: 2 },
    });
    const again = await recount();
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('PROBLEM.DEADLINE_ALREADY_CURRENT');
  });

  it('answers 409 to a draft edited from an older version, and publishes nothing for a draft equal to the one in force', async () => {
    const stale = await publish({ basedOnVersion: 1, policy: aDraft({ name: '另一版' }) });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('POLICY.VERSION_CONFLICT');

    const same = await publish({ basedOnVersion: 2, policy: aDraft() });
    expect(same.status).toBe(201);
    expect(same.body.policy.version).toBe(2);

    const versions = await as(t.tokens.supervisor).get('/deadline-policy/versions');
    expect((versions.body as Array<{ policy: { version: number } }>).map((published) => published.policy.version)).toEqual([2, 1]);
  });

  it('records each publication in the audit log', async () => {
    const audit = await as(t.tokens.admin).get('/admin/audit?limit=200');

    expect(audit.status).toBe(200);
    expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'deadline_policy.published', targetId: 'default@2' }));
  });
});
