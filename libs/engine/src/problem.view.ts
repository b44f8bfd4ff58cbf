import { offeredEvents, type RectificationEventType } from '#rectification';
import { type Caller, permissionFactsFor } from '#access';
import type { ProblemRecord } from './problem.records.js';

/** A problem as a caller sees it: the record plus what this caller may do next. */
export interface ProblemView {
  id: string;
  title: string;
  description: string;
  category: string;
  severity: string;
  location: string;
  inspectionRef: string;
  requirement: string;
  filedBy: string;
  filerDepartmentId: string | null;
  state: string;
  stateDetail: string;
  version: number;
  departmentId: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  /** The deadline first given to the department; `deadline` is the current one. */
  originalDeadline: string | null;
  extensionCount: number;
  /** An extension or suspension request waiting for a supervisor. */
  pendingRequest: ProblemRecord['snapshot']['context']['pendingRequest'];
  /** The deadline clock: onTrack, dueSoon, overdue, escalated, verifying, suspended, … */
  deadlineState: string;
  light: ProblemRecord['light'];
  /** Approved suspensions of the clock (the last one open while suspended). */
  suspensions: ProblemRecord['snapshot']['context']['suspensions'];
  plan: ProblemRecord['snapshot']['context']['plan'];
  latestProgress: ProblemRecord['snapshot']['context']['latestProgress'];
  submission: ProblemRecord['snapshot']['context']['submission'];
  reworkCount: number;
  reopenCount: number;
  allowedEvents: RectificationEventType[];
  machine: { id: string; version: string };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** The earlier problem this one repeats (屡查屡犯). */
  repeatOf: string | null;
}

/** Events the current state accepts AND this caller may send (the workflow's offeredEvents). */
export function allowedEventsFor(caller: Caller, problem: ProblemRecord): RectificationEventType[] {
  return offeredEvents(problem.snapshot, caller.actor, permissionFactsFor(caller, problem));
}

export function toProblemView(problem: ProblemRecord, caller: Caller): ProblemView {
  const { context } = problem.snapshot;
  return {
    id: problem.id,
    title: problem.title,
    description: problem.description,
    category: problem.category,
    severity: problem.severity,
    location: problem.location,
    inspectionRef: problem.inspectionRef,
    requirement: problem.requirement,
    filedBy: problem.filedBy,
    filerDepartmentId: problem.filerDepartmentId,
    state: problem.state,
    stateDetail: problem.stateDetail,
    version: problem.version,
    departmentId: problem.departmentId,
    responsiblePerson: problem.responsiblePerson,
    deadline: problem.deadline,
    originalDeadline: context.originalDeadline ?? problem.deadline,
    extensionCount: context.extensionCount,
    pendingRequest: context.pendingRequest ?? null,
    deadlineState: problem.deadlineState,
    light: problem.light,
    suspensions: context.suspensions,
    plan: context.plan,
    latestProgress: context.latestProgress,
    submission: context.submission,
    reworkCount: problem.reworkCount,
    reopenCount: context.reopenCount,
    allowedEvents: allowedEventsFor(caller, problem),
    machine: { id: problem.machineId, version: problem.machineVersion },
    createdAt: problem.createdAt,
    updatedAt: problem.updatedAt,
    closedAt: problem.closedAt,
    repeatOf: problem.repeatOf,
  };
}
