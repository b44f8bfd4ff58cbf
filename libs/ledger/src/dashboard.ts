import { addDays, daysBetween, isoWeekday, type LocalDate } from '#calendar';

/** A department's open problems per traffic light (红黄绿灯), and how many are lit at all. */
export type LightCounts<L extends string> = Record<L, number> & { total: number };

export interface DepartmentLights<L extends string> {
  departmentId: string;
  department: string;
  lights: LightCounts<L>;
}

/** One step of the escalation ladder and the problems whose clock stands at it now. */
export interface LadderStepCount {
  level: number;
  /** The step as the policy in force names it (督办通知书, 约谈 …). */
  name: string;
  /** Open problems whose deadline state is escalated at this level. */
  open: number;
}

/** One week of the trend, Monday to Sunday in the organisation's time zone; the last one is the current week. */
export interface TrendWeek {
  weekStart: LocalDate;
  weekEnd: LocalDate;
  /** Problems found (filed) in the week. */
  found: number;
  /** Problems closed out (销号) in the week, as they stand now: a reopened problem is not closed. */
  closed: number;
}

export interface DashboardFigures<L extends string> {
  lights: { all: LightCounts<L>; byDepartment: DepartmentLights<L>[] };
  ladder: LadderStepCount[];
  trend: TrendWeek[];
}

/** What the dashboard needs of one problem, dates already local to the organisation's time zone. */
export interface DashboardInput<L extends string> {
  departmentId: string | null;
  department: string | null;
  /** Null while no light applies (not assigned, with the verifier, suspended, finished). */
  light: L | null;
  /** The ladder step its clock stands at now; null unless its deadline state is escalated. */
  escalatedLevel: number | null;
  foundOn: LocalDate;
  closedOn: LocalDate | null;
}

/** The Monday of the week holding `date` (ISO weeks start on Monday). */
export function weekStartOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * Sums the supervision dashboard (督办驾驶舱) over problems given one at a time: the lights per responsible
 * department, the open problems per ladder step, and found against closed per week for the `weeks` weeks up to
 * the one holding `today`. Pure: the caller reads the problems and turns instants into local dates.
 */
export class DashboardAccumulator<L extends string> {
  private readonly all: LightCounts<L>;
  private readonly departments = new Map<string, DepartmentLights<L>>();
  private readonly levels = new Map<number, number>();
  private readonly weeks: TrendWeek[];
  private readonly first: LocalDate;

  constructor(
    private readonly lightNames: readonly L[],
    today: LocalDate,
    weeks: number,
  ) {
    if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`weeks must be a positive integer, not ${weeks}`);
    this.all = this.noLights();
    const current = weekStartOf(today);
    this.first = addDays(current, -7 * (weeks - 1));
    this.weeks = Array.from({ length: weeks }, (_, index) => {
      const weekStart = addDays(this.first, 7 * index);
      return { weekStart, weekEnd: addDays(weekStart, 6), found: 0, closed: 0 };
    });
  }

  add(problem: DashboardInput<L>): void {
    if (problem.light !== null && problem.departmentId !== null) {
      let department = this.departments.get(problem.departmentId);
      if (!department) {
        department = { departmentId: problem.departmentId, department: problem.department ?? problem.departmentId, lights: this.noLights() };
        this.departments.set(problem.departmentId, department);
      }
      count(department.lights, problem.light);
      count(this.all, problem.light);
    }
    if (problem.escalatedLevel !== null && problem.escalatedLevel > 0) {
      this.levels.set(problem.escalatedLevel, (this.levels.get(problem.escalatedLevel) ?? 0) + 1);
    }
    const found = this.weekOf(problem.foundOn);
    if (found) found.found += 1;
    const closed = problem.closedOn === null ? undefined : this.weekOf(problem.closedOn);
    if (closed) closed.closed += 1;
  }

  /**
   * The figures. The ladder lists every step of `steps` (the policy in force), none open included, and any level a
   * problem stands at that the policy no longer has (an older version's ladder), named by `unnamed`.
   */
  result(steps: ReadonlyArray<{ level: number; name: string }>, unnamed: (level: number) => string): DashboardFigures<L> {
    const ladder = new Map<number, LadderStepCount>(steps.map((step) => [step.level, { level: step.level, name: step.name, open: 0 }]));
    for (const [level, open] of this.levels) {
      const step = ladder.get(level);
      if (step) step.open = open;
      else ladder.set(level, { level, name: unnamed(level), open });
    }
    return {
      lights: {
        all: { ...this.all },
        byDepartment: [...this.departments.values()]
          .map((department) => ({ ...department, lights: { ...department.lights } }))
          .sort((a, b) => a.department.localeCompare(b.department) || a.departmentId.localeCompare(b.departmentId)),
      },
      ladder: [...ladder.values()].sort((a, b) => a.level - b.level),
      trend: this.weeks.map((week) => ({ ...week })),
    };
  }

  private weekOf(date: LocalDate): TrendWeek | undefined {
    // Before the first week the index is negative, after today's week past the end: no week either way.
    return this.weeks[Math.floor(daysBetween(this.first, date) / 7)];
  }

  private noLights(): LightCounts<L> {
    const counts = { total: 0 } as LightCounts<L>;
    for (const light of this.lightNames) (counts as Record<string, number>)[light] = 0;
    return counts;
  }
}

function count<L extends string>(counts: LightCounts<L>, light: L): void {
  (counts as Record<string, number>)[light] += 1;
  counts.total += 1;
}
