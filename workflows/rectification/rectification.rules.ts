import { DomainError } from '../../libs/domain/src/index.js';
import type { RectificationEvent } from './rectification.events.js';
import type { RectificationContext } from './rectification.machine.js';

/**
 * Business rules an event must satisfy beyond being accepted by the current state. Checked by the engine
 * after the transition is known to exist, so "wrong state" (409) wins over "wrong content" (422).
 */
export function ruleViolation(context: RectificationContext, event: RectificationEvent, now: Date): DomainError | null {
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
      return deadlineInPast(event.deadline ?? context.deadline ?? undefined, now);
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
    default:
      return null;
  }
}

export function deadlineInPast(deadline: string | undefined, now: Date): DomainError | null {
  if (deadline !== undefined && new Date(deadline).getTime() <= now.getTime()) {
    return new DomainError(
      'PROBLEM.DEADLINE_IN_PAST',
      `The deadline ${deadline} has already passed (now ${now.toISOString()}); give a deadline in the future.`,
      { field: 'deadline' },
    );
  }
  return null;
}
