import {
  type Actor,
  DomainError,
  ForbiddenEventError,
  NotYourDepartmentError,
  type Role,
} from '#domain';
import type { RectificationEventType } from './rectification.events.js';

/**
 * How the caller must be related to the problem for a rule to apply:
 * - `any`: no relation needed (admins correcting data);
 * - `filer`: the inspector who filed the problem;
 * - `responsibleDepartment`: a member of the department the problem is assigned to now;
 * - `supervising`: a supervisor whose office is, or is above, the problem's department (while unassigned: above
 *   the department of whoever filed it).
 */
export const RELATIONS = ['any', 'filer', 'responsibleDepartment', 'supervising'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface PermissionRule {
  role: Role;
  relation: Relation;
}

const rule = (role: Role, relation: Relation): PermissionRule => ({ role, relation });
const INSPECTING_SIDE = [rule('inspector', 'filer'), rule('supervisor', 'supervising')];

/**
 * Who may send which event, as data: the engine enforces it and `allowedEvents` is derived from it, so this
 * table is the single answer to "may this person do that".
 *
 * - Inspectors hand the problems they filed to a department, and verify (APPROVE/REJECT) them.
 * - Department users rectify the problems of their own department, and nothing else.
 * - Supervisors (the supervising office, 督办) may do what the filing inspector may for every problem under
 *   their office, and alone close out (销号).
 * - Extensions and suspensions of the deadline are requested by the responsible department and approved or
 *   rejected by a supervisor over the problem; the department or the supervisor resumes a suspended clock.
 * - A policy deadline is recounted on the current calendar by a supervisor over the problem or an admin.
 * - Admins run the system: they may correct assignments, cancel and recount deadlines, but do not rectify, verify or close, so
 *   every substantive step stays attributable to someone in the workflow.
 */
export const EVENT_PERMISSIONS: Record<RectificationEventType, readonly PermissionRule[]> = {
  ASSIGN: [...INSPECTING_SIDE, rule('admin', 'any')],
  REASSIGN: [...INSPECTING_SIDE, rule('admin', 'any')],
  START: [rule('department', 'responsibleDepartment')],
  REPORT_PROGRESS: [rule('department', 'responsibleDepartment')],
  SUBMIT: [rule('department', 'responsibleDepartment')],
  APPROVE: INSPECTING_SIDE,
  REJECT: INSPECTING_SIDE,
  CLOSE: [rule('supervisor', 'supervising')],
  CANCEL: [...INSPECTING_SIDE, rule('admin', 'any')],
  REOPEN: INSPECTING_SIDE,
  // Extensions and suspensions: the department asks, a supervisor over the problem decides, so nobody moves or
  // stops their own clock. Either may end an approved suspension once the wait is over.
  REQUEST_EXTENSION: [rule('department', 'responsibleDepartment')],
  APPROVE_EXTENSION: [rule('supervisor', 'supervising')],
  REJECT_EXTENSION: [rule('supervisor', 'supervising')],
  REQUEST_SUSPENSION: [rule('department', 'responsibleDepartment')],
  APPROVE_SUSPENSION: [rule('supervisor', 'supervising')],
  REJECT_SUSPENSION: [rule('supervisor', 'supervising')],
  RESUME: [rule('department', 'responsibleDepartment'), rule('supervisor', 'supervising')],
  // Counting a policy deadline again on the calendar in force now (after a calendar edit): a supervisor over the
  // problem, or an admin who maintains the calendar; never the department whose clock it is.
  RECOUNT_DEADLINE: [rule('supervisor', 'supervising'), rule('admin', 'any')],
};

/** Roles that may send the event at all, whatever their relation to the problem. */
export function rolesFor(eventType: RectificationEventType): Role[] {
  return [...new Set(EVENT_PERMISSIONS[eventType].map((r) => r.role))];
}

/** Roles that may file a problem (POST /problems). */
export const FILING_ROLES: readonly Role[] = ['inspector', 'supervisor', 'admin'];

/** The facts about a problem, relative to the caller, that permission rules look at. */
export interface PermissionFacts {
  departmentId: string | null;
  filedBy: string;
  /** Whether the caller is a supervisor over this problem (computed from the department tree). */
  supervisedByActor: boolean;
}

export function relationHolds(relation: Relation, actor: Actor, problem: PermissionFacts): boolean {
  switch (relation) {
    case 'any':
      return true;
    case 'filer':
      return actor.userId === problem.filedBy;
    case 'responsibleDepartment':
      return actor.departmentId !== null && actor.departmentId === problem.departmentId;
    case 'supervising':
      return problem.supervisedByActor;
  }
}

function relationError(relation: Relation, eventType: RectificationEventType): DomainError {
  switch (relation) {
    case 'responsibleDepartment':
      return new NotYourDepartmentError();
    case 'filer':
      return new DomainError(
        'AUTH.NOT_YOUR_PROBLEM',
        `Only the inspector who filed this problem, or a supervisor over its department, may send ${eventType}.`,
        { event: eventType, relation },
      );
    default:
      return new DomainError(
        'AUTH.NOT_YOUR_PROBLEM',
        `Only a supervisor of the office over this problem's department may send ${eventType}.`,
        { event: eventType, relation },
      );
  }
}

/** Returns the error that forbids the actor from sending the event, or null when it is allowed. */
/** Whether the actor may send the event to this problem (permissionError without building the error). */
export function maySend(actor: Actor, eventType: RectificationEventType, problem: PermissionFacts): boolean {
  return EVENT_PERMISSIONS[eventType].some((r) => r.role === actor.role && relationHolds(r.relation, actor, problem));
}

export function permissionError(actor: Actor, eventType: RectificationEventType, problem: PermissionFacts): DomainError | null {
  const rules = EVENT_PERMISSIONS[eventType].filter((r) => r.role === actor.role);
  if (rules.length === 0) return new ForbiddenEventError(actor.role, eventType, rolesFor(eventType));
  if (rules.some((r) => relationHolds(r.relation, actor, problem))) return null;
  return relationError(rules[0].relation, eventType);
}

export function mayFile(actor: Actor): boolean {
  return FILING_ROLES.some((role) => role === actor.role);
}
