import {
  type BusinessCalendar,
  endOfWorkingDay,
  isWorkingDay,
  type LocalDate,
  nthWorkingDayAfter,
  toLocalDate,
  workingDaysBetween,
} from '#calendar';
import type { RectificationContext } from './rectification.context.js';
import type { StoredSnapshot } from './rectification.workflow.js';

/**
 * The plan a problem's progress is held against: the working days from the day its current deadline was set (not
 * counted, as in every working-day count) to the deadline's day, evenly. A working day counts as elapsed once its
 * working hours are over, so the plan reaches 100 % exactly when the deadline passes.
 */
export interface WorkPlan {
  setDay: LocalDate;
  /** Working days in the plan (at least 1). */
  workingDays: number;
}

export function workPlanOf(context: RectificationContext, setAt: string | null, calendar: BusinessCalendar): WorkPlan | null {
  if (context.deadline === null) return null;
  const setDay = toLocalDate(setAt ?? context.filedAt, calendar.timeZone);
  return { setDay, workingDays: Math.max(1, workingDaysBetween(calendar, setDay, context.deadline)) };
}

/** Working days of the plan elapsed at `now` (0 to the plan's length). */
export function elapsedWorkingDays(plan: WorkPlan, calendar: BusinessCalendar, now: Date): number {
  const today = toLocalDate(now.toISOString(), calendar.timeZone);
  let elapsed = workingDaysBetween(calendar, plan.setDay, today);
  // today counts only once its working hours are over
  if (elapsed > 0 && isWorkingDay(calendar, today) && now < endOfWorkingDay(calendar, today)) elapsed -= 1;
  return Math.min(plan.workingDays, Math.max(0, elapsed));
}

/** The percent last reported (none reported: 0). */
export function reportedPercent(context: RectificationContext): number {
  return context.latestProgress?.percent ?? 0;
}

/**
 * Whether the plan has run `points` percentage points or more ahead of the reported percent after `elapsed` working
 * days: 100 × elapsed / N ≥ reported + points, compared in whole numbers so the planner and the light agree exactly.
 */
export function behindPlanBy(plan: WorkPlan, elapsed: number, reported: number, points: number): boolean {
  return 100 * elapsed >= (reported + points) * plan.workingDays;
}

/**
 * When the plan first runs `points` ahead of the reported percent: the end of the Kth working day, K the fewest
 * elapsed days that do it. Null when that is not before the deadline (then the deadline passing decides the light).
 */
export function whenBehindPlanBy(plan: WorkPlan, reported: number, points: number, calendar: BusinessCalendar): { at: string; elapsed: number } | null {
  const elapsed = Math.max(1, Math.ceil(((reported + points) * plan.workingDays) / 100));
  if (elapsed >= plan.workingDays) return null;
  return { at: endOfWorkingDay(calendar, nthWorkingDayAfter(calendar, plan.setDay, elapsed)).toISOString(), elapsed };
}

/** The plan's percent after `elapsed` working days, rounded to a whole percent for people. */
export function plannedPercent(plan: WorkPlan, elapsed: number): number {
  return Math.round((100 * elapsed) / plan.workingDays);
}

/** When the current deadline was set: its last approved extension, else when it was first set (null: unknown). */
export function deadlineSetAt(snapshot: StoredSnapshot): string | null {
  const { context } = snapshot;
  const extensions = context.extensions;
  if (extensions.length > 0) return extensions[extensions.length - 1].approvedAt;
  const basis = context.deadlineBasis;
  return basis === null ? null : basis.kind === 'policy' ? basis.from : basis.setAt;
}
