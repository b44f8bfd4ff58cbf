import { DashboardAccumulator, type DashboardInput, weekStartOf } from './dashboard.js';

const LIGHTS = ['green', 'yellow', 'red', 'black'] as const;
type Light = (typeof LIGHTS)[number];

const STEPS = [
  { level: 1, name: '督办通知书' },
  { level: 2, name: '约谈' },
  { level: 3, name: '挂牌督办' },
];
const unnamed = (level: number) => `${level}级督办`;

function problem(extra: Partial<DashboardInput<Light>> = {}): DashboardInput<Light> {
  return { departmentId: 'a', department: 'Alpha', light: null, escalatedLevel: null, foundOn: '2026-03-04', closedOn: null, ...extra };
}

describe(DashboardAccumulator.name, () => {
  it('counts the lit problems per department and light, departments by name, and all of them together', () => {
    // given
    const dashboard = new DashboardAccumulator(LIGHTS, '2026-03-11', 2);
    dashboard.add(problem({ departmentId: 'b', department: 'Beta', light: 'red' }));
    dashboard.add(problem({ light: 'green' }));
    dashboard.add(problem({ light: 'green' }));
    dashboard.add(problem({ light: 'black' }));
    dashboard.add(problem({ departmentId: 'b', department: 'Beta', light: 'yellow' }));
    // no light (closed, with the verifier, suspended) and not assigned: in no light's count
    dashboard.add(problem({ light: null }));
    dashboard.add(problem({ departmentId: null, department: null, light: null }));

    // when
    const { lights } = dashboard.result(STEPS, unnamed);

    // then
    expect(lights.byDepartment).toEqual([
      { departmentId: 'a', department: 'Alpha', lights: { green: 2, yellow: 0, red: 0, black: 1, total: 3 } },
      { departmentId: 'b', department: 'Beta', lights: { green: 0, yellow: 1, red: 1, black: 0, total: 2 } },
    ]);
    expect(lights.all).toEqual({ green: 2, yellow: 1, red: 1, black: 1, total: 5 });
  });

  it('lists every step of the ladder in force, none open included, and a level only an older ladder had', () => {
    const dashboard = new DashboardAccumulator(LIGHTS, '2026-03-11', 1);
    dashboard.add(problem({ escalatedLevel: 2 }));
    dashboard.add(problem({ escalatedLevel: 2 }));
    dashboard.add(problem({ escalatedLevel: 5 }));
    dashboard.add(problem({ escalatedLevel: null }));

    expect(dashboard.result(STEPS, unnamed).ladder).toEqual([
      { level: 1, name: '督办通知书', open: 0 },
      { level: 2, name: '约谈', open: 2 },
      { level: 3, name: '挂牌督办', open: 0 },
      { level: 5, name: '5级督办', open: 1 },
    ]);
  });

  it('counts found and closed per week, Monday to Sunday, the last week the one holding today', () => {
    // given: Wednesday 2026-03-11; three weeks back to Monday 2026-02-23
    const dashboard = new DashboardAccumulator(LIGHTS, '2026-03-11', 3);
    dashboard.add(problem({ foundOn: '2026-02-22', closedOn: '2026-02-23' })); // found the Sunday before: closed in the first week
    dashboard.add(problem({ foundOn: '2026-02-23', closedOn: '2026-03-01' })); // Monday and Sunday of the first week
    dashboard.add(problem({ foundOn: '2026-03-02' }));
    dashboard.add(problem({ foundOn: '2026-03-08', closedOn: '2026-03-09' }));
    dashboard.add(problem({ foundOn: '2026-03-11', closedOn: '2026-03-11' }));
    dashboard.add(problem({ foundOn: '2025-12-01', closedOn: '2026-01-05' })); // before the trend

    // when
    const { trend } = dashboard.result(STEPS, unnamed);

    // then
    expect(trend).toEqual([
      { weekStart: '2026-02-23', weekEnd: '2026-03-01', found: 1, closed: 2 },
      { weekStart: '2026-03-02', weekEnd: '2026-03-08', found: 2, closed: 0 },
      { weekStart: '2026-03-09', weekEnd: '2026-03-15', found: 1, closed: 2 },
    ]);
  });

  it('takes weeks across a year end and refuses no weeks at all', () => {
    expect(new DashboardAccumulator(LIGHTS, '2026-01-01', 2).result([], unnamed).trend.map((week) => week.weekStart)).toEqual(['2025-12-22', '2025-12-29']);
    expect(() => new DashboardAccumulator(LIGHTS, '2026-01-01', 0)).toThrow(RangeError);
  });
});

describe(weekStartOf.name, () => {
  it.each([
    ['2026-03-09', '2026-03-09'],
    ['2026-03-11', '2026-03-09'],
    ['2026-03-15', '2026-03-09'],
    ['2026-03-16', '2026-03-16'],
  ])('%s is in the week starting %s', (date, monday) => {
    expect(weekStartOf(date)).toBe(monday);
  });
});
