import type { Severity } from '#domain';
import {
  addWorkingDays,
  type BusinessCalendar,
  computeDeadline,
  recomputeDeadline,
  workingDaysBetween,
} from '#calendar';
import { type DeadlinePolicyBook, isBuiltInPolicy, rectificationWorkingDaysFor } from './deadline.policy.js';
import { isSuspended, type RectificationContext } from './rectification.context.js';
import type { DeadlineBasis, HumanEvent } from './rectification.events.js';

/** What the count needs to know of the problem: the period depends on its severity and kind of matter. */
export interface CountedProblem {
  severity: Severity;
  category: string | null;
}

/**
 * The deadline arithmetic applied to a person's event before the machine sees it. The event comes out carrying the
 * result (the deadline, its basis, the calendar version counted on), so the machine needs no calendar and replaying
 * the history reproduces every deadline without one.
 * - ASSIGN without a deadline (and none from filing) and REOPEN without one: the current policy's working days for
 *   the severity (or the problem's category), counted from now on the organisation's calendar; an explicit deadline
 *   is kept as given. The basis names the current policy version, whose reminders and ladder the problem runs
 *   under from then on (an explicit deadline is stamped only once a version other than the built-in 1 is in
 *   force: unstamped means version 1);
 * - APPROVE_EXTENSION without a date grants the date asked for;
 * - RESUME moves the deadline by the working days the suspension covered;
 * - RECOUNT_DEADLINE counts a policy deadline again on the calendar version and the policy version in force.
 */
export function withDeadlineCounted(
  event: HumanEvent,
  context: RectificationContext,
  problem: CountedProblem,
  calendar: BusinessCalendar,
  policies: DeadlinePolicyBook,
  now: Date,
): HumanEvent {
  const policy = policies.current();
  switch (event.type) {
    case 'APPROVE_EXTENSION': {
      const pending = context.pendingRequest;
      if (event.deadline !== undefined || pending?.kind !== 'extension') return event;
      return { ...event, deadline: pending.proposedDeadline };
    }
    case 'RESUME':
      return withSuspensionCounted(event, context, calendar, now);
    case 'RECOUNT_DEADLINE':
      return withDeadlineRecounted(event, context, problem, calendar, policies);
    case 'ASSIGN':
    case 'REOPEN': {
      // An explicit deadline runs under the current policy's reminders and ladder: stamped with its version, except
      // for the built-in version 1, which an unstamped deadline means (so nothing recorded changes until an admin
      // publishes a version of their own).
      const explicitStamp = isBuiltInPolicy(policy) ? {} : { policyId: policy.id, policyVersion: policy.version };
      if (event.deadline !== undefined) return { ...event, deadlineBasis: { kind: 'explicit', setAt: event.at, ...explicitStamp } };
      // ASSIGN keeps a deadline given at filing (and runs it under the current policy); a reopened problem always
      // gets a new one.
      if (event.type === 'ASSIGN' && context.deadline !== null) {
        const given: DeadlineBasis = context.deadlineBasis ?? { kind: 'explicit', setAt: context.filedAt };
        if (given.kind !== 'explicit' || isBuiltInPolicy(policy)) return event;
        return { ...event, deadlineBasis: { ...given, ...explicitStamp } };
      }
      const workingDays = rectificationWorkingDaysFor(policy, problem.severity, problem.category);
      const deadline = computeDeadline(calendar, now, workingDays);
      return {
        ...event,
        deadline: deadline.dueAt,
        deadlineBasis: {
          kind: 'policy',
          policyId: policy.id,
          policyVersion: policy.version,
          calendarId: deadline.calendarId,
          calendarVersion: deadline.calendarVersion,
          from: deadline.from,
          workingDays,
          provisional: deadline.provisional,
        },
      };
    }
    default:
      return event;
  }
}

/**
 * RECOUNT_DEADLINE: a deadline the policy counted is counted again from the same start, on the calendar version in
 * force now and with the working days the current policy version gives the problem; the problem runs under that
 * version from then on. An explicit deadline, or one already counted on both current versions, is left as it is: the
 * rules refuse those (after the state check, so a wrong state stays a 409).
 */
function withDeadlineRecounted(
  event: HumanEvent & { type: 'RECOUNT_DEADLINE' },
  context: RectificationContext,
  problem: CountedProblem,
  calendar: BusinessCalendar,
  policies: DeadlinePolicyBook,
): HumanEvent {
  const { deadline, deadlineBasis: basis } = context;
  if (basis?.kind !== 'policy' || deadline === null) return event;
  const policy = policies.current();
  const samePolicy = basis.policyId === policy.id && basis.policyVersion === policy.version;
  if (samePolicy && basis.calendarId === calendar.id && basis.calendarVersion === calendar.version) return event;
  const recounted = recomputeDeadline(
    {
      calendarId: basis.calendarId,
      calendarVersion: basis.calendarVersion,
      from: basis.from,
      workingDays: samePolicy ? basis.workingDays : rectificationWorkingDaysFor(policy, problem.severity, problem.category),
      dueAt: deadline,
      provisional: basis.provisional,
    },
    calendar,
  );
  return {
    ...event,
    deadline: recounted.dueAt,
    deadlineBasis: {
      ...basis,
      policyId: policy.id,
      policyVersion: policy.version,
      calendarId: recounted.calendarId,
      calendarVersion: recounted.calendarVersion,
      from: recounted.from,
      workingDays: recounted.workingDays,
      provisional: recounted.provisional,
    },
  };
}

/**
 * RESUME: the working days the suspension covered (from its approval to now, the start's own day not counted, as for
 * any deadline) are counted on the organisation's calendar and the deadline moved by as many, so the suspended time
 * is excluded.
 */
function withSuspensionCounted(
  event: HumanEvent & { type: 'RESUME' },
  context: RectificationContext,
  calendar: BusinessCalendar,
  now: Date,
): HumanEvent {
  if (!isSuspended(context)) return event;
  const open = context.suspensions[context.suspensions.length - 1];
  const suspendedWorkingDays = Math.max(0, workingDaysBetween(calendar, open.from, now));
  const deadline =
    context.deadline === null || suspendedWorkingDays === 0
      ? context.deadline
      : addWorkingDays(calendar, context.deadline, suspendedWorkingDays).toISOString();
  return {
    ...event,
    suspendedWorkingDays,
    ...(deadline === null ? {} : { deadline }),
    calendarId: calendar.id,
    calendarVersion: calendar.version,
  };
}
