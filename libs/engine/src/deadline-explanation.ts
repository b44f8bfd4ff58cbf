import {
  addWorkingDays,
  type BusinessCalendar,
  toLocalDate,
  type CountedDay,
  type LocalDate,
  type SkippedDay,
  stampOf,
  type WorkingDaysExplanation,
  isWorkingDay,
  addDays,
  whyNotWorking,
  workingDaysBetween,
} from '#calendar';
import {
  type DeadlineBasis,
  type DeadlinePolicy,
  type EscalationRecipients,
  type ExtensionRecord,
  isSuspended,
  type PendingRequest,
  plannedReminders,
  type SuspensionRecord,
} from '#rectification';
import type { ProblemRecord } from './problem.records.js';

export type PlannedStep =
  | { kind: 'reminder'; workingDaysBefore: number; at: string; due: boolean }
  | { kind: 'escalation'; level: number; name: string; workingDaysAfterDeadline: number; recipients: EscalationRecipients; at: string; due: boolean };

export interface DeadlineExplanation {
  problemId: string;
  state: string;
  severity: string;
  deadline: string | null;
  basis: DeadlineBasis | null;
  /** The deadline policy version the problem runs under (its reminders and escalation ladder). */
  policy: { id: string; version: number; name: string };
  calendar: { id: string; version: number; name: string; timeZone: string };
  /** False when the deadline was stamped with a calendar version this server no longer has. */
  stampedCalendarAvailable: boolean;
  /** The deadline the department was first given, before any extension or suspension moved it. */
  originalDeadline: string | null;
  extensionCount: number;
  extensions: ExtensionRecord[];
  /** Approved suspensions of the clock: their working days are skipped time, and moved the deadline. */
  suspensions: Array<SuspensionRecord & { skippedWorkingDays: number }>;
  /** The clock is suspended now (no timer fires until RESUME). */
  suspended: boolean;
  pendingRequest: PendingRequest | null;
  /**
   * The working days from when the deadline was set to the deadline: each day counted, each skipped and why —
   * suspended working days are skipped with kind `suspended` (and the suspension's reason as name). A long count
   * lists its first days only and summarises the rest (`listedThrough`, `later`).
   */
  counting: CountingExplanation | null;
  /** Why `counting`, `remainingWorkingDays` and `schedule` are empty although there is a deadline; null otherwise. */
  notCounted: string | null;
  elapsedWorkingDays: number | null;
  /** Negative once overdue (working days overdue, counted back). */
  remainingWorkingDays: number | null;
  overdue: boolean;
  /** The rectification clock runs while the department has the problem; submitting or finishing stops it. */
  clockRunning: boolean;
  /** Reminders and escalation levels the policy plans around this deadline. */
  schedule: PlannedStep[];
}

/** A working day the clock stood still on, by an approved suspension. */
export interface SuspendedDay {
  date: string;
  kind: 'suspended';
  name: string;
}

/**
 * `counted`, `skipped` and `outsideHolidayCoverage` list the days one by one through `listedThrough` (for a usual
 * deadline, its last day); the days after it are summarised in `later`, so the answer stays small however far the
 * deadline lies. `workingDays` always counts every day.
 */
export type CountingExplanation = Omit<WorkingDaysExplanation, 'skipped'> & {
  readonly skipped: ReadonlyArray<SkippedDay | SuspendedDay>;
  readonly listedThrough: LocalDate;
  readonly later: LaterDays | null;
};

/** Consecutive holidays, closures or suspended days of one name: `count` of them from `from` to `to` (weekends between not counted). */
export interface SkippedRun {
  from: LocalDate;
  to: LocalDate;
  count: number;
  kind: 'holiday' | 'closure' | 'suspended';
  name?: string;
}

/** The days of a count after its list: totals, and the runs of days off other than weekends. */
export interface LaterDays {
  from: LocalDate;
  to: LocalDate;
  workingDays: number;
  skipped: { weekend: number; holiday: number; closure: number; suspended: number };
  /** In date order; the first MAX_LATER_RUNS that fit the budget. */
  runs: SkippedRun[];
  /** Runs left out of `runs`. */
  moreRuns: number;
  /** Stretches whose public holidays the calendar does not know yet. */
  outsideHolidayCoverage: Array<{ from: LocalDate; to: LocalDate; count: number }>;
}

/**
 * Bounds of the answer (README "Deadlines"): at most a year of days listed one by one, within LISTED_BUDGET_BYTES
 * (long names, such as a suspension's reason on every day, stop the list sooner), then at most MAX_LATER_RUNS runs
 * within LATER_RUNS_BUDGET_BYTES. With the rest of the answer this keeps it under 64 KB for any deadline, unless
 * the problem's own history (extensions, suspensions and their reasons) is long.
 */
export const MAX_DAYS_LISTED = 366;
export const LISTED_BUDGET_BYTES = 24 * 1024;
export const MAX_LATER_RUNS = 100;
export const LATER_RUNS_BUDGET_BYTES = 16 * 1024;
/**
 * The most days walked to count one span (about 54 years, beyond DEADLINE_HORIZON_YEARS' maximum of 50): a
 * deadline further from when it was set, or from now, is not counted (only one stored before the horizon
 * existed can be), so explaining it stays cheap.
 */
export const MAX_COUNTED_DAYS = 20_000;

const CLOCK_STATES = new Set(['assigned', 'rectifying.inProgress']);
const MS_PER_DAY = 86_400_000;

/** Whether counting working days between two instants stays within MAX_COUNTED_DAYS (false for an invalid one). */
function countable(a: string | Date, b: string | Date): boolean {
  const span = Math.abs(new Date(a).getTime() - new Date(b).getTime()) / MS_PER_DAY;
  return span <= MAX_COUNTED_DAYS;
}

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value)) + 1;

/** The local working days a suspension covered: after its start's day, up to and including its end's (or now's). */
function suspendedDays(calendar: BusinessCalendar, suspension: SuspensionRecord, now: Date): string[] {
  const end = suspension.to ?? now.toISOString();
  if (!countable(suspension.from, end)) return [];
  const first = toLocalDate(suspension.from, calendar.timeZone);
  const last = toLocalDate(end, calendar.timeZone);
  const days: string[] = [];
  for (let day = addDays(first, 1); day <= last; day = addDays(day, 1)) if (isWorkingDay(calendar, day)) days.push(day);
  return days;
}

/** Collects the days after the list into totals and runs, each list within its bounds. */
class LaterDaysSummary {
  private readonly summary: LaterDays;
  private run: SkippedRun | null = null;
  private runsBudget = LATER_RUNS_BUDGET_BYTES;

  constructor(first: LocalDate) {
    this.summary = {
      from: first,
      to: first,
      workingDays: 0,
      skipped: { weekend: 0, holiday: 0, closure: 0, suspended: 0 },
      runs: [],
      moreRuns: 0,
      outsideHolidayCoverage: [],
    };
  }

  add(day: LocalDate, entry: CountedDay | SkippedDay | SuspendedDay, outsideCoverage: boolean): void {
    this.summary.to = day;
    if (outsideCoverage) {
      const stretch = this.summary.outsideHolidayCoverage.at(-1);
      if (stretch && addDays(stretch.to, 1) === day) Object.assign(stretch, { to: day, count: stretch.count + 1 });
      else this.summary.outsideHolidayCoverage.push({ from: day, to: day, count: 1 });
    }
    if (!('kind' in entry)) {
      this.summary.workingDays += 1;
      this.closeRun();
      return;
    }
    this.summary.skipped[entry.kind] += 1;
    // Weekends are only counted: listing them is what made a long count large.
    if (entry.kind === 'weekend') return;
    if (this.run && this.run.kind === entry.kind && this.run.name === entry.name) {
      this.run.to = day;
      this.run.count += 1;
      return;
    }
    this.closeRun();
    this.run = { from: day, to: day, count: 1, kind: entry.kind, ...(entry.name === undefined ? {} : { name: entry.name }) };
  }

  finish(): LaterDays {
    this.closeRun();
    return this.summary;
  }

  private closeRun(): void {
    if (!this.run) return;
    const cost = bytesOf(this.run);
    if (this.summary.runs.length < MAX_LATER_RUNS && cost <= this.runsBudget) {
      this.summary.runs.push(this.run);
      this.runsBudget -= cost;
    } else {
      this.summary.moreRuns += 1;
    }
    this.run = null;
  }
}

/**
 * Every day from the day after `from` to `to`, as explainWorkingDays walks them, with the working days a
 * suspension covered skipped (kind `suspended`) and the rest renumbered; listed one by one within the bounds
 * above, summarised after. The caller has checked that the span is countable.
 */
function countingExplanation(calendar: BusinessCalendar, from: string, to: string, suspended: Map<string, string>): CountingExplanation {
  const fromDate = toLocalDate(from, calendar.timeZone);
  const toDate = toLocalDate(to, calendar.timeZone);
  const sign = toDate < fromDate ? -1 : 1;
  const [first, last] = sign === 1 ? [fromDate, toDate] : [toDate, fromDate];
  const coverage = calendar.holidayCoverage;

  const counted: CountedDay[] = [];
  const skipped: Array<SkippedDay | SuspendedDay> = [];
  const outsideHolidayCoverage: LocalDate[] = [];
  let listedThrough = first;
  let budget = LISTED_BUDGET_BYTES;
  let later: LaterDaysSummary | null = null;
  let workingDays = 0;
  for (let day = addDays(first, 1), index = 0; day <= last; day = addDays(day, 1), index += 1) {
    const outside = coverage !== undefined && coverage !== null && (day < coverage.from || day > coverage.to);
    const reason = whyNotWorking(calendar, day);
    // Counted back (a deadline before its start), suspensions are not taken out, as before.
    const suspendedFor = reason === null && sign === 1 ? suspended.get(day) : undefined;
    let entry: CountedDay | SkippedDay | SuspendedDay;
    if (reason) entry = { date: day, ...reason };
    else if (suspendedFor !== undefined) entry = { date: day, kind: 'suspended', name: suspendedFor };
    else {
      workingDays += 1;
      const makeUpFor = calendar.makeUpWorkdays[day];
      entry = makeUpFor === undefined ? { date: day, ordinal: workingDays } : { date: day, ordinal: workingDays, makeUpFor };
    }
    if (later === null) {
      const cost = bytesOf(entry) + (outside ? bytesOf(day) : 0);
      if (index < MAX_DAYS_LISTED && cost <= budget) {
        budget -= cost;
        if ('kind' in entry) skipped.push(entry);
        else counted.push(entry);
        if (outside) outsideHolidayCoverage.push(day);
        listedThrough = day;
        continue;
      }
      later = new LaterDaysSummary(day);
    }
    later.add(day, entry, outside);
  }
  return {
    calendar: stampOf(calendar),
    timeZone: calendar.timeZone,
    from: fromDate,
    to: toDate,
    workingDays: sign * workingDays,
    counted,
    skipped,
    outsideHolidayCoverage,
    listedThrough,
    later: later?.finish() ?? null,
  };
}

/**
 * Why a problem's deadline is what it is, and what happens around it. Pure: the caller passes the calendar the
 * deadline was stamped with (or the current one for explicit deadlines) and the policy.
 */
export function explainProblemDeadline(
  problem: ProblemRecord,
  calendar: BusinessCalendar,
  stampedCalendarAvailable: boolean,
  policy: DeadlinePolicy,
  now: Date,
): DeadlineExplanation {
  const { context } = problem.snapshot;
  const basis = context.deadlineBasis ?? null;
  const deadline = problem.deadline;
  const setAt = basis === null ? null : basis.kind === 'policy' ? basis.from : basis.setAt;
  const suspended = isSuspended(context);
  const withTheDepartment = CLOCK_STATES.has(problem.stateDetail);
  const clockRunning = withTheDepartment && !suspended;
  // Each suspension's working days (a closed one's as counted at RESUME), and which dates they were.
  const suspensionDays = new Map<string, string>();
  const suspensions = context.suspensions.map((suspension) => {
    const days = suspendedDays(calendar, suspension, now);
    for (const day of days) suspensionDays.set(day, suspension.reason);
    return { ...suspension, skippedWorkingDays: suspension.workingDays ?? days.length };
  });
  const base = {
    problemId: problem.id,
    state: problem.stateDetail,
    severity: problem.severity,
    deadline,
    basis,
    policy: { id: policy.id, version: policy.version, name: policy.name },
    originalDeadline: context.originalDeadline ?? deadline,
    extensionCount: context.extensionCount,
    extensions: context.extensions,
    suspensions,
    suspended,
    pendingRequest: context.pendingRequest ?? null,
    calendar: { id: calendar.id, version: calendar.version, name: calendar.name, timeZone: calendar.timeZone },
    stampedCalendarAvailable,
    clockRunning,
  };
  if (deadline === null) {
    return { ...base, counting: null, notCounted: null, elapsedWorkingDays: null, remainingWorkingDays: null, overdue: false, schedule: [] };
  }
  const overdue = withTheDepartment && now.getTime() > Date.parse(deadline);
  // While suspended the clock stands where the suspension found it.
  const clockAt = suspended ? new Date(context.suspensions[context.suspensions.length - 1].from) : now;
  const skippedWorkingDays = suspensions.reduce((sum, s) => sum + (s.to === null ? 0 : s.skippedWorkingDays), 0);
  const elapsedWorkingDays =
    setAt === null || !countable(setAt, clockAt) ? null : Math.max(0, workingDaysBetween(calendar, setAt, clockAt) - skippedWorkingDays);
  if (!countable(deadline, now) || !countable(deadline, clockAt) || (setAt !== null && !countable(setAt, deadline))) {
    return {
      ...base,
      counting: null,
      notCounted:
        `The deadline ${deadline} lies more than ${MAX_COUNTED_DAYS} days from now or from when it was set, so its working days ` +
        'are not counted. Only a deadline stored before DEADLINE_HORIZON_YEARS existed can be that far: set a new one with an extension.',
      elapsedWorkingDays,
      remainingWorkingDays: null,
      overdue,
      schedule: [],
    };
  }
  // The reminders the timer plan sends: none due before the deadline was set.
  const reminders: PlannedStep[] = plannedReminders(problem.snapshot, policy, calendar).map(({ before, at }) => ({
    kind: 'reminder',
    workingDaysBefore: before,
    at,
    due: Date.parse(at) <= now.getTime(),
  }));
  const escalations: PlannedStep[] = policy.escalation.map((step) => {
    const at = step.workingDaysAfterDeadline === 0 ? deadline : addWorkingDays(calendar, deadline, step.workingDaysAfterDeadline).toISOString();
    return {
      kind: 'escalation',
      level: step.level,
      name: step.name,
      workingDaysAfterDeadline: step.workingDaysAfterDeadline,
      recipients: step.recipients,
      at,
      due: Date.parse(at) <= now.getTime(),
    };
  });
  return {
    ...base,
    counting: setAt === null ? null : countingExplanation(calendar, setAt, deadline, suspensionDays),
    notCounted: null,
    // Working days the clock ran since the deadline was set: suspended ones do not count.
    elapsedWorkingDays,
    remainingWorkingDays: workingDaysBetween(calendar, clockAt, deadline),
    overdue,
    schedule: [...reminders, ...escalations].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
