import {
  addWorkingDays,
  type BusinessCalendar,
  nthWorkingDayBefore,
  startOfWorkingDay,
  toLocalDate,
} from '#calendar';
import type { DeadlinePolicy } from './deadline.policy.js';
import { deadlineSetAt, elapsedWorkingDays, plannedPercent, reportedPercent, whenBehindPlanBy, workPlanOf } from './progress-plan.js';
import type { TimerEvent } from './rectification.events.js';
import { deadlineState, type StoredSnapshot } from './rectification.workflow.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A timer event as planned: the engine stamps time and actor when it fires. */
export type TimerCommand = DistributiveOmit<TimerEvent, 'at' | 'actorId'>;

/**
 * The one timer a problem waits for next. It lives in the problem's row, written in the same transaction as the
 * state it was planned from; its id names that state (problem and version), so it can fire at most once.
 */
export interface PlannedTimer {
  id: string;
  fireAt: string;
  event: TimerCommand;
}

/**
 * The next timer for a snapshot, from the deadline policy and the business calendar. Pure.
 * - on track / due soon: the next reminder not yet sent (only those falling after the deadline was set), then
 *   the deadline itself; under a light rule by progress, the plan's next crossing of a light threshold when it
 *   comes first (BEHIND_PLAN);
 * - overdue / escalated at level n: escalation level n + 1, if the ladder has one;
 * - verifying: the verification deadline, counted from the submission;
 * - otherwise (not set, suspended, stopped, cancelled, verification already overdue): none — a suspended clock
 *   waits for RESUME, which moves the deadline and plans again.
 */
export function planNextTimer(
  problemId: string,
  version: number,
  snapshot: StoredSnapshot,
  policy: DeadlinePolicy,
  calendar: BusinessCalendar,
  now: Date,
): PlannedTimer | null {
  const { context } = snapshot;
  const state = deadlineState(snapshot.value);
  const timer = (fireAt: string, event: TimerCommand): PlannedTimer => ({
    id: `${problemId}:v${version}:${event.type}${event.type === 'ESCALATE' ? `:${event.level}` : ''}`,
    fireAt,
    event,
  });
  switch (state) {
    case 'onTrack':
    case 'dueSoon': {
      if (context.deadline === null) return null;
      const next = plannedReminders(snapshot, policy, calendar)[context.remindersSent];
      const clock = next
        ? timer(next.at, { type: 'DEADLINE_REMINDER', scheduledFor: next.at, workingDaysBefore: next.before })
        : timer(context.deadline, { type: 'DEADLINE_PASSED', scheduledFor: context.deadline });
      const behind = nextBehindPlan(snapshot, policy, calendar, now);
      return behind && behind.at < clock.fireAt ? timer(behind.at, behind.event) : clock;
    }
    case 'overdue':
    case 'escalated': {
      if (context.deadline === null) return null;
      const step = policy.escalation.find((candidate) => candidate.level === context.escalationLevel + 1);
      if (!step) return null;
      const at =
        step.workingDaysAfterDeadline === 0
          ? context.deadline
          : addWorkingDays(calendar, context.deadline, step.workingDaysAfterDeadline).toISOString();
      return timer(at, { type: 'ESCALATE', scheduledFor: at, level: step.level });
    }
    case 'verifying': {
      if (context.submission === null) return null;
      const at = addWorkingDays(calendar, context.submission.at, policy.verificationWorkingDays).toISOString();
      return timer(at, { type: 'VERIFICATION_OVERDUE', scheduledFor: at });
    }
    default:
      return null;
  }
}

/**
 * Under a light rule by progress, the next instant after `now` at which the plan crosses a light threshold for the
 * percent last reported: to yellow, else to red. Null under a rule by time left, or when no crossing comes before the
 * deadline.
 */
function nextBehindPlan(
  snapshot: StoredSnapshot,
  policy: DeadlinePolicy,
  calendar: BusinessCalendar,
  now: Date,
): { at: string; event: TimerCommand } | null {
  const rule = policy.lights;
  if (rule.kind !== 'progress') return null;
  const plan = workPlanOf(snapshot.context, deadlineSetAt(snapshot), calendar);
  if (plan === null) return null;
  const reported = reportedPercent(snapshot.context);
  const elapsed = elapsedWorkingDays(plan, calendar, now);
  const yellow = whenBehindPlanBy(plan, reported, rule.yellowLagPoints, calendar);
  const red = whenBehindPlanBy(plan, reported, rule.redLagPoints, calendar);
  const crossing = [yellow, red].find((candidate) => candidate !== null && candidate.elapsed > elapsed);
  if (crossing) {
    // the light at the crossing: red when the red threshold is crossed there too
    const light = red !== null && red.elapsed <= crossing.elapsed ? 'red' : 'yellow';
    return { at: crossing.at, event: { type: 'BEHIND_PLAN', scheduledFor: crossing.at, light, plannedPercent: plannedPercent(plan, crossing.elapsed) } };
  }
  return null;
}

/**
 * The reminders the current deadline gets, earliest first: those of the policy falling after the deadline was set
 * and before it (a reminder due before the deadline existed is never sent). One answer for the timer plan and for
 * the deadline explanation.
 */
export function plannedReminders(
  snapshot: StoredSnapshot,
  policy: DeadlinePolicy,
  calendar: BusinessCalendar,
): Array<{ before: number; at: string }> {
  const { deadline } = snapshot.context;
  if (deadline === null) return [];
  const setAt = deadlineSetAt(snapshot);
  const deadlineDay = toLocalDate(deadline, calendar.timeZone);
  return [...policy.remindersBeforeWorkingDays]
    .sort((a, b) => b - a)
    .map((before) => ({ before, at: startOfWorkingDay(calendar, nthWorkingDayBefore(calendar, deadlineDay, before)).toISOString() }))
    .filter((reminder) => (setAt === null || reminder.at > setAt) && reminder.at < deadline);
}
