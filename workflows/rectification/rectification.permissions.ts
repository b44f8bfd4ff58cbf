import {
  type Actor,
  type DomainError,
  ForbiddenEventError,
  NotYourDepartmentError,
  type Role,
} from '../../libs/domain/src/index.js';
import type { RectificationEventType } from './rectification.events.js';

/**
 * Who may send which event, as data. The engine enforces it and the API derives `allowedEvents` from it,
 * so the table below is the single answer to "may this person do that".
 *
 * - Inspectors find problems, hand them to a department and verify the rectification.
 * - Department users rectify problems of their own department, and nothing else.
 * - Supervisors (the supervising office, 督办) do everything the inspecting side does, and alone close out (销号).
 * - Admins run the system: they may correct assignments and cancel, but do not rectify, verify or close, so
 *   every substantive step stays attributable to someone in the workflow.
 */
export const EVENT_PERMISSIONS: Record<RectificationEventType, readonly Role[]> = {
  ASSIGN: ['inspector', 'supervisor', 'admin'],
  REASSIGN: ['inspector', 'supervisor', 'admin'],
  START: ['department'],
  REPORT_PROGRESS: ['department'],
  SUBMIT: ['department'],
  APPROVE: ['inspector', 'supervisor'],
  REJECT: ['inspector', 'supervisor'],
  CLOSE: ['supervisor'],
  CANCEL: ['inspector', 'supervisor', 'admin'],
  REOPEN: ['inspector', 'supervisor'],
};

/** Roles that may file a problem (POST /problems). */
export const FILING_ROLES: readonly Role[] = ['inspector', 'supervisor', 'admin'];

/** The facts about a problem that permission rules look at. */
export interface PermissionFacts {
  departmentId: string | null;
}

/** Returns the error that forbids the actor from sending the event, or null when it is allowed. */
export function permissionError(actor: Actor, eventType: RectificationEventType, problem: PermissionFacts): DomainError | null {
  const roles = EVENT_PERMISSIONS[eventType];
  if (!roles.includes(actor.role)) return new ForbiddenEventError(actor.role, eventType, roles);
  // A department user acts only for its own department, never on another department's problems.
  if (actor.role === 'department' && (actor.departmentId === null || actor.departmentId !== problem.departmentId)) {
    return new NotYourDepartmentError();
  }
  return null;
}

export function mayFile(actor: Actor): boolean {
  return FILING_ROLES.includes(actor.role);
}
