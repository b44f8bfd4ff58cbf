import {
  addWorkingDays,
  type BusinessCalendar,
  explainWorkingDays,
  toLocalDate,
  type CountedDay,
  type SkippedDay,
  type WorkingDaysExplanation,
  isWorkingDay,
  addDays,
  workingDaysBetween,
} from '../../calendar/src/index.js';
import {
  type DeadlineBasis,
  type DeadlinePolicy,
  type EscalationRecipients,
  type ExtensionRecord,
  isSuspended,
  type PendingRequest,
  type SuspensionRecord,
} from '../../../workflows/rectification/index.js';
import { plannedReminders } from './timer-plan.js';
import type { ProblemRecord } from './problem.records.js';

export type PlannedStep =
  | { kind: 'reminder'; workingDaysBefore: number; at: string; due: boolean }
  | { kind: 'escalation'; level: number; workingDaysAfterDeadline: number; recipients: EscalationRecipients; at: string; due: boolean };

export interface DeadlineExplanation {
  problemId: string;
  state: string;
  severity: string;
  deadline: string | null;
  basis: DeadlineBasis | null;
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
   * suspended working days are skipped with kind `suspended` (and the suspension's reason as name).
   */
  counting: CountingExplanation | null;
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

export type CountingExplanation = Omit<WorkingDaysExplanation, 'skipped'> & { readonly skipped: ReadonlyArray<SkippedDay | SuspendedDay> };

const CLOCK_STATES = new Set(['assigned', 'rectifying.inProgress']);

/** The local working days a suspension covered: after its start's day, up to and including its end's (or now's). */
function suspendedDays(calendar: BusinessCalendar, suspension: SuspensionRecord, now: Date): string[] {
  const first = toLocalDate(suspension.from, calendar.timeZone);
  const last = toLocalDate(suspension.to ?? now.toISOString(), calendar.timeZone);
  const days: string[] = [];
  for (let day = addDays(first, 1); day <= last; day = addDays(day, 1)) if (isWorkingDay(calendar, day)) days.push(day);
  return days;
}

/** Moves the working days a suspension covered from counted to skipped, renumbering what remains. */
function skipSuspended(counting: WorkingDaysExplanation, suspended: Map<string, string>): CountingExplanation {
  if (suspended.size === 0 || counting.workingDays < 0) return counting;
  const counted: CountedDay[] = [];
  const skipped: Array<SkippedDay | SuspendedDay> = [...counting.skipped];
  for (const day of counting.counted) {
    const reason = suspended.get(day.date);
    if (reason !== undefined) skipped.push({ date: day.date, kind: 'suspended', name: reason });
    else counted.push({ ...day, ordinal: counted.length + 1 });
  }
  skipped.sort((a, b) => a.date.localeCompare(b.date));
  return { ...counting, counted, skipped, workingDays: counted.length };
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
  const suspensions = (context.suspensions ?? []).map((suspension) => {
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
    originalDeadline: context.originalDeadline ?? deadline,
    extensionCount: context.extensionCount ?? 0,
    extensions: context.extensions ?? [],
    suspensions,
    suspended,
    pendingRequest: context.pendingRequest ?? null,
    calendar: { id: calendar.id, version: calendar.version, name: calendar.name, timeZone: calendar.timeZone },
    stampedCalendarAvailable,
    clockRunning,
  };
  if (deadline === null) {
    return { ...base, counting: null, elapsedWorkingDays: null, remainingWorkingDays: null, overdue: false, schedule: [] };
  }
  const overdue = withTheDepartment && now.getTime() > Date.parse(deadline);
  // While suspended the clock stands where the suspension found it.
  const clockAt = suspended ? new Date(context.suspensions[context.suspensions.length - 1].from) : now;
  const skippedWorkingDays = suspensions.reduce((sum, s) => sum + (s.to === null ? 0 : s.skippedWorkingDays), 0);
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
      workingDaysAfterDeadline: step.workingDaysAfterDeadline,
      recipients: step.recipients,
      at,
      due: Date.parse(at) <= now.getTime(),
    };
  });
  return {
    ...base,
    counting: setAt === null ? null : skipSuspended(explainWorkingDays(calendar, setAt, deadline), suspensionDays),
    // Working days the clock ran since the deadline was set: suspended ones do not count.
    elapsedWorkingDays: setAt === null ? null : Math.max(0, workingDaysBetween(calendar, setAt, clockAt) - skippedWorkingDays),
    remainingWorkingDays: workingDaysBetween(calendar, clockAt, deadline),
    overdue,
    schedule: [...reminders, ...escalations].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
