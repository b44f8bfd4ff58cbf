import type { Severity } from '#domain';
import {
  addWorkingDays,
  type BusinessCalendar,
  computeDeadline,
  recomputeDeadline,
  workingDaysBetween,
} from '#calendar';
import type { DeadlinePolicy } from './deadline.policy.js';
import { isSuspended, type RectificationContext } from './rectification.context.js';
import type { HumanEvent } from './rectification.events.js';

/**
 * The deadline arithmetic applied to a person's event before the machine sees it. The event comes out carrying the
 * result (the deadline, its basis, the calendar version counted on), so the machine needs no calendar and replaying
 * the history reproduces every deadline without one.
 * - ASSIGN without a deadline (and none from filing) and REOPEN without one: the policy's working days for the
 *   severity, counted from now on the organisation's calendar; an explicit deadline is kept as given;
 * - APPROVE_EXTENSION without a date grants the date asked for;
 * - RESUME moves the deadline by the working days the suspension covered;
 * - RECOUNT_DEADLINE counts a policy deadline again on the calendar version in force.
 */
export function withDeadlineCounted(
  event: HumanEvent,
  context: RectificationContext,
  severity: Severity,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
  now: Date,
): HumanEvent {
  switch (event.type) {
    case 'APPROVE_EXTENSION': {
      const pending = context.pendingRequest;
      if (event.deadline !== undefined || pending?.kind !== 'extension') return event;
      return { ...event, deadline: pending.proposedDeadline };
    }
    case 'RESUME':
      return withSuspensionCounted(event, context, calendar, now);
    case 'RECOUNT_DEADLINE':
      return withDeadlineRecounted(event, context, calendar);
    case 'ASSIGN':
    case 'REOPEN': {
      if (event.deadline !== undefined) return { ...event, deadlineBasis: { kind: 'explicit', setAt: event.at } };
      // ASSIGN keeps a deadline given at filing; a reopened problem always gets a new one.
      if (event.type === 'ASSIGN' && context.deadline !== null) return event;
      const workingDays = policy.rectificationWorkingDays[severity];
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
 * RECOUNT_DEADLINE: a deadline the policy counted is counted again on the calendar version in force now, from the
 * same start and with the same number of working days. An explicit deadline, or one already counted on the current
 * version, is left as it is: the rules refuse those (after the state check, so a wrong state stays a 409).
 */
function withDeadlineRecounted(
  event: HumanEvent & { type: 'RECOUNT_DEADLINE' },
  context: RectificationContext,
  calendar: BusinessCalendar,
): HumanEvent {
  const { deadline, deadlineBasis: basis } = context;
  if (basis?.kind !== 'policy' || deadline === null) return event;
  if (basis.calendarId === calendar.id && basis.calendarVersion === calendar.version) return event;
  const recounted = recomputeDeadline(
    {
      calendarId: basis.calendarId,
      calendarVersion: basis.calendarVersion,
      from: basis.from,
      workingDays: basis.workingDays,
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
