import { DomainError } from '#domain';
import type { RectificationEvent } from './rectification.events.js';
import type { RectificationContext } from './rectification.context.js';

/**
 * Business rules an event must satisfy beyond being accepted by the current state. Checked by the engine
 * after the transition is known to exist, so "wrong state" (409) wins over "wrong content" (422).
 */
export function ruleViolation(
  context: RectificationContext,
  event: RectificationEvent,
  now: Date,
  horizonYears = DEFAULT_DEADLINE_HORIZON_YEARS,
): DomainError | null {
  switch (event.type) {
    case 'ASSIGN': {
      if (event.deadline === undefined && context.deadline === null) {
        return new DomainError(
          'PROBLEM.DEADLINE_REQUIRED',
          'A rectification deadline is required: give `deadline` (ISO 8601) when assigning, since none was set at filing.',
          { field: 'deadline' },
        );
      }
      // Without a new deadline, the one set at filing applies, and it may have passed since.
      return deadlineOutOfRange(event.deadline ?? context.deadline ?? undefined, now, horizonYears);
    }
    case 'REASSIGN':
      if (event.departmentId === context.departmentId) {
        return new DomainError(
          'PROBLEM.SAME_DEPARTMENT',
          'The problem is already assigned to this department; choose another department to reassign it.',
          { field: 'departmentId' },
        );
      }
      return null;
    case 'REQUEST_EXTENSION':
      return (
        notLater(event.proposedDeadline, context.deadline, 'proposedDeadline') ??
        deadlineOutOfRange(event.proposedDeadline, now, horizonYears, 'proposedDeadline')
      );
    case 'APPROVE_EXTENSION':
      // The engine has filled in the proposed deadline when none was given.
      return notLater(event.deadline, context.deadline, 'deadline') ?? deadlineOutOfRange(event.deadline, now, horizonYears);
    case 'RECOUNT_DEADLINE':
      return recountViolation(context, event);
    default:
      return null;
  }
}

/**
 * Only a deadline the policy counted can be counted again (an explicit one has no count: a new date is an
 * extension), and only when the calendar has a newer version than the one it was counted with. The engine has
 * recounted on the current version before this check.
 */
function recountViolation(context: RectificationContext, event: RectificationEvent & { type: 'RECOUNT_DEADLINE' }): DomainError | null {
  const basis = context.deadlineBasis;
  if (basis?.kind !== 'policy') {
    return new DomainError(
      'PROBLEM.DEADLINE_NOT_FROM_POLICY',
      'This deadline was set explicitly, not counted in working days by the policy, so there is nothing to recount; set a new deadline with an extension instead.',
      { basis: basis?.kind ?? null },
    );
  }
  // Recounting counts the policy's working days from the count's start again; a deadline moved since then by an
  // approved extension or by a suspension's working days is no longer that count, and recounting would undo the move.
  const moved = movedSinceCounted(context, basis.from);
  if (moved) {
    return new DomainError(
      'PROBLEM.DEADLINE_NOT_FROM_POLICY',
      moved.by === 'extension'
        ? `The deadline was moved by an approved extension (on ${moved.at}), so it is no longer the policy's count; recounting would undo the extension. Set a new deadline with another extension instead.`
        : `The deadline was moved ${moved.workingDays} working day(s) later by a suspension (resumed on ${moved.at}), so it is no longer the policy's count; recounting would drop the suspended days. Set a new deadline with an extension instead.`,
      { basis: basis.kind, movedBy: moved.by, ...(moved.by === 'suspension' ? { suspendedWorkingDays: moved.workingDays } : {}) },
    );
  }
  const recounted = event.deadlineBasis;
  if (
    recounted?.kind !== 'policy' ||
    (recounted.calendarId === basis.calendarId &&
      recounted.calendarVersion === basis.calendarVersion &&
      recounted.policyId === basis.policyId &&
      recounted.policyVersion === basis.policyVersion)
  ) {
    return new DomainError(
      'PROBLEM.DEADLINE_ALREADY_CURRENT',
      `The deadline was already counted on the calendar in force (${basis.calendarId} version ${basis.calendarVersion}) under the deadline policy in force (version ${basis.policyVersion}); recounting would change nothing.`,
      { calendarId: basis.calendarId, calendarVersion: basis.calendarVersion, policyId: basis.policyId, policyVersion: basis.policyVersion },
    );
  }
  return null;
}

/** Whether the deadline is still exactly the policy's count (so RECOUNT_DEADLINE may count it again). */
export function deadlineIsPolicyCount(context: RectificationContext): boolean {
  const basis = context.deadlineBasis;
  return basis?.kind === 'policy' && movedSinceCounted(context, basis.from) === null;
}

/**
 * The last approved extension, or suspension that moved the deadline (by at least one working day), since the policy
 * counted the current deadline from `countedFrom` (earlier ones, e.g. before a REOPEN counted a new deadline, do not
 * matter); null when the deadline is still exactly the policy's count.
 */
function movedSinceCounted(
  context: RectificationContext,
  countedFrom: string,
): { by: 'extension'; at: string } | { by: 'suspension'; at: string; workingDays: number } | null {
  const since = Date.parse(countedFrom);
  const extension = context.extensions.filter((e) => Date.parse(e.approvedAt) >= since).at(-1);
  if (extension) return { by: 'extension', at: extension.approvedAt };
  const suspension = context.suspensions.filter((s) => s.to !== null && Date.parse(s.to) >= since && (s.workingDays ?? 0) > 0).at(-1);
  if (suspension) return { by: 'suspension', at: suspension.to!, workingDays: suspension.workingDays! };
  return null;
}

/** An extension must move the deadline later. */
function notLater(deadline: string | undefined, current: string | null, field: string): DomainError | null {
  if (deadline !== undefined && current !== null && Date.parse(deadline) <= Date.parse(current)) {
    return new DomainError(
      'PROBLEM.EXTENSION_NOT_LATER',
      `An extension must move the deadline later than the current one (${current}); ${deadline} is not.`,
      { field, currentDeadline: current },
    );
  }
  return null;
}

export function deadlineInPast(deadline: string | undefined, now: Date, field = 'deadline'): DomainError | null {
  if (deadline !== undefined && new Date(deadline).getTime() <= now.getTime()) {
    return new DomainError(
      'PROBLEM.DEADLINE_IN_PAST',
      `The deadline ${deadline} has already passed (now ${now.toISOString()}); give a deadline in the future.`,
      { field },
    );
  }
  return null;
}

/**
 * How many years ahead a deadline may lie (DEADLINE_HORIZON_YEARS). A rectification planned further out is a typo
 * or an attack rather than a plan, and every working day up to it would be counted and explained.
 */
export const DEFAULT_DEADLINE_HORIZON_YEARS = 5;

/** The latest deadline allowed at `now`: the same instant `horizonYears` calendar years on (UTC; 29 Feb → 1 Mar). */
export function latestDeadline(now: Date, horizonYears: number): Date {
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + horizonYears);
  return latest;
}

/** A deadline must lie after now and no later than the horizon; `now` is the engine's clock, so tests can move it. */
export function deadlineOutOfRange(
  deadline: string | undefined,
  now: Date,
  horizonYears = DEFAULT_DEADLINE_HORIZON_YEARS,
  field = 'deadline',
): DomainError | null {
  const past = deadlineInPast(deadline, now, field);
  if (past || deadline === undefined) return past;
  const latest = latestDeadline(now, horizonYears).toISOString();
  // Not a finite instant (beyond what Date holds) counts as too far, too.
  const at = new Date(deadline).getTime();
  if (!Number.isFinite(at) || at > Date.parse(latest)) {
    return new DomainError(
      'PROBLEM.DEADLINE_TOO_FAR',
      `The deadline ${deadline} is more than ${horizonYears} years away; the latest deadline allowed now is ${latest} ` +
        '(DEADLINE_HORIZON_YEARS). Give an earlier deadline, and extend it later if more time is needed.',
      { field, latestDeadline: latest, horizonYears },
    );
  }
  return null;
}
