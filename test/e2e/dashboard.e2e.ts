import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();

type Role = keyof TestApp['tokens'];
type Lights = { green: number; yellow: number; red: number; black: number; total: number };
interface Dashboard {
  timeZone: string;
  today: string;
  policy: { version: number };
  lights: { all: Lights; byDepartment: Array<{ departmentId: string; department: string; lights: Lights }> };
  ladder: Array<{ level: number; name: string; open: number }>;
  trend: Array<{ weekStart: string; weekEnd: string; found: number; closed: number }>;
}

describe('The supervision dashboard (督办驾驶舱), GET /ledger/dashboard', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const as = (role: Role) => ({
    send: async (id: string, body: Record<string, unknown>) => {
      const response = await t.http().post(`/problems/${id}/events`).auth(t.tokens[role], { type: 'bearer' }).send(body);
      if (response.status !== 200) throw new Error(`${role} ${String(body.type)} → ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    },
    file: async (title: string) => {
      const response = await t.http().post('/problems').auth(t.tokens[role], { type: 'bearer' }).send(aFiling({ title, inspectionRef: 'INSP-DASH-1' }));
      expect(response.status).toBe(201);
      return (ids[title] = response.body.id as string);
    },
    get: (path: string, query: Record<string, string | number> = {}) => t.http().get(path).auth(t.tokens[role], { type: 'bearer' }).query(query),
  });

  const dashboard = async (role: Role, query: Record<string, string | number> = {}) => {
    const response = await as(role).get('/ledger/dashboard', query);
    expect(response.status).toBe(200);
    return response.body as Dashboard;
  };
  const sweep = async (local: string) => {
    t.clock.set(at(local));
    for (let round = 0; round < 3; round += 1) await t.app.get(DeadlineScheduler).sweep();
  };

  /**
   * Monday 2 March: seven problems found. Facilities gets three due Friday 20 March: one closed on the 10th, one
   * left to climb the ladder to its top (挂牌督办, black), one handed in on the 26th and closed on 1 April.
   * Production gets one due 25 March (overdue, escalated once more: red), one due in days (yellow), one due at the
   * end of April (green). One is never assigned; two more unassigned ones are found either side of midnight
   * between Sunday 29 and Monday 30 March, Shanghai time (both on the Sunday in UTC). Today is Friday 3 April.
   */
  beforeAll(async () => {
    t = await createTestApp({ evidence: { requiredForSubmit: false } });
    const inspector = as('inspector');
    const facilities = as('facilities');
    const production = as('production');
    const supervisor = as('supervisor');
    const plan = { type: 'START', measures: 'Do it', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-18' };
    const assign = async (title: string, department: 'facilities' | 'production', deadline: string) => {
      await inspector.send(ids[title], { type: 'ASSIGN', departmentId: t.org.departments[department], deadline });
      await as(department).send(ids[title], plan);
    };
    const close = async (title: string) => {
      await inspector.send(ids[title], { type: 'APPROVE', comment: 'Checked' });
      await supervisor.send(ids[title], { type: 'CLOSE', comment: '销号' });
    };

    t.clock.set(at('2026-03-02T09:00:00'));
    for (const title of ['消防通道堵塞', '配电箱未上锁', '灭火器过期', '货架超载', '叉车无证驾驶', '安全标识缺失', '未分派的问题']) await inspector.file(title);
    for (const title of ['消防通道堵塞', '配电箱未上锁', '灭火器过期']) await assign(title, 'facilities', '2026-03-20T18:00:00+08:00');
    await assign('货架超载', 'production', '2026-03-25T18:00:00+08:00');
    await assign('叉车无证驾驶', 'production', '2026-04-07T18:00:00+08:00');
    await assign('安全标识缺失', 'production', '2026-04-30T18:00:00+08:00');

    t.clock.set(at('2026-03-10T10:00:00'));
    await facilities.send(ids['消防通道堵塞'], { type: 'SUBMIT', summary: 'Cleared' });
    await close('消防通道堵塞');

    await sweep('2026-03-20T18:00:01');
    await sweep('2026-03-25T18:00:01');
    t.clock.set(at('2026-03-26T10:00:00'));
    await facilities.send(ids['灭火器过期'], { type: 'SUBMIT', summary: 'Replaced' });

    t.clock.set(at('2026-03-29T23:30:00'));
    await inspector.file('周日深夜发现');
    t.clock.set(at('2026-03-30T00:30:00'));
    await inspector.file('周一凌晨发现');

    t.clock.set(at('2026-04-01T10:00:00'));
    await close('灭火器过期');
    await sweep('2026-04-03T18:00:01');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers the lights per department, the ladder by the policy’s step names and found against closed per week', async () => {
    // given: how the problems stand, by their own answers
    const light = async (title: string) => (await as('admin').get(`/problems/${ids[title]}`)).body.light as string | null;
    expect(await Promise.all(['配电箱未上锁', '货架超载', '叉车无证驾驶', '安全标识缺失'].map(light))).toEqual(['black', 'red', 'yellow', 'green']);

    // when
    const body = await dashboard('admin', { weeks: 6 });

    // then
    expect(body).toMatchObject({ timeZone: 'Asia/Shanghai', today: '2026-04-03', policy: { version: 1 } });
    expect(body.lights.all).toEqual({ green: 1, yellow: 1, red: 1, black: 1, total: 4 });
    expect(body.lights.byDepartment).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ departmentId: t.org.departments.facilities, lights: { green: 0, yellow: 0, red: 0, black: 1, total: 1 } }),
        expect.objectContaining({ departmentId: t.org.departments.production, lights: { green: 1, yellow: 1, red: 1, black: 0, total: 3 } }),
      ]),
    );
    expect(body.lights.byDepartment).toHaveLength(2);
    expect(body.ladder).toEqual([
      { level: 1, name: '一级督办', open: 0 },
      { level: 2, name: '二级督办', open: 1 },
      { level: 3, name: '挂牌督办', open: 1 },
    ]);
    // Sunday 23:30 and Monday 00:30 in Shanghai fall in two weeks there (both on the Sunday in UTC).
    expect(body.trend).toEqual([
      { weekStart: '2026-02-23', weekEnd: '2026-03-01', found: 0, closed: 0 },
      { weekStart: '2026-03-02', weekEnd: '2026-03-08', found: 7, closed: 0 },
      { weekStart: '2026-03-09', weekEnd: '2026-03-15', found: 0, closed: 1 },
      { weekStart: '2026-03-16', weekEnd: '2026-03-22', found: 0, closed: 0 },
      { weekStart: '2026-03-23', weekEnd: '2026-03-29', found: 1, closed: 0 },
      { weekStart: '2026-03-30', weekEnd: '2026-04-05', found: 1, closed: 1 },
    ]);
  });

  it('gives numbers the lists behind them hold: the ledger by department and light or by found week, the escalated problems', async () => {
    const body = await dashboard('supervisor', { weeks: 6 });
    for (const { departmentId, lights } of body.lights.byDepartment) {
      for (const colour of ['green', 'yellow', 'red', 'black'] as const) {
        const rows = (await as('supervisor').get('/ledger', { department: departmentId, light: colour })).body.items as unknown[];
        expect({ departmentId, colour, rows: rows.length }).toEqual({ departmentId, colour, rows: lights[colour] });
      }
    }
    for (const week of body.trend) {
      const rows = (await as('supervisor').get('/ledger', { from: week.weekStart, to: week.weekEnd })).body.items as unknown[];
      expect({ week: week.weekStart, rows: rows.length }).toEqual({ week: week.weekStart, rows: week.found });
    }
    const escalated = (await as('supervisor').get('/problems', { deadlineState: 'escalated' })).body.items as unknown[];
    expect(escalated).toHaveLength(body.ladder.reduce((sum, step) => sum + step.open, 0));
  });

  it('shows a department only its own problems, and narrows by the filters of GET /problems/counts', async () => {
    const own = await dashboard('production', { weeks: 6 });
    expect(own.lights.byDepartment.map((row) => row.departmentId)).toEqual([t.org.departments.production]);
    expect(own.ladder.map((step) => step.open)).toEqual([0, 1, 0]);
    expect(own.trend.map((week) => week.found)).toEqual([0, 3, 0, 0, 0, 0]);

    const narrowed = await dashboard('admin', { weeks: 6, department: t.org.departments.facilities });
    expect(narrowed.lights.all).toEqual({ green: 0, yellow: 0, red: 0, black: 1, total: 1 });
    expect(narrowed.trend.map((week) => week.closed)).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('takes twelve weeks unless told, and refuses weeks outside 1 to 52 with the field named', async () => {
    const body = await dashboard('supervisor');
    expect(body.trend).toHaveLength(12);
    expect(body.trend[11]).toMatchObject({ weekStart: '2026-03-30', weekEnd: '2026-04-05' });
    expect((await dashboard('supervisor', { weeks: 52 })).trend).toHaveLength(52);
    for (const weeks of ['0', '53', '1.5', 'twelve']) {
      const response = await as('supervisor').get('/ledger/dashboard', { weeks });
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(response.body)).toContain('weeks');
    }
  });

  it('names the steps as the deadline policy in force names them', async () => {
    // given
    const current = (await as('admin').get('/deadline-policy')).body.policy;
    const { id: _id, version, ...draft } = current;
    const escalation = draft.escalation.map((step: { level: number }) => (step.level === 3 ? { ...step, name: '约谈' } : step));
    const published = await t.http().post('/admin/deadline-policy').auth(t.tokens.admin, { type: 'bearer' })
      .send({ basedOnVersion: version, note: '三级改为约谈', policy: { ...draft, escalation } });
    expect(published.status).toBe(201);

    // when
    const body = await dashboard('supervisor');

    // then
    expect(body.policy.version).toBe(version + 1);
    expect(body.ladder.find((step) => step.level === 3)).toEqual({ level: 3, name: '约谈', open: 1 });
  });
});
