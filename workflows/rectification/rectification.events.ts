import type { Severity } from '../../libs/domain/src/index.js';

/**
 * Every event the engine feeds the machine is stamped with when it happened and who sent it, so the machine
 * needs no clock and replaying the history reproduces the stored snapshot exactly.
 */
export interface EventStamp {
  at: string;
  actorId: string;
}

export interface RectificationPlan {
  measures: string;
  responsiblePerson: string;
  plannedCompletionDate: string;
}

export type AssignEvent = EventStamp & {
  type: 'ASSIGN';
  departmentId: string;
  responsiblePerson?: string;
  deadline?: string;
};
export type ReassignEvent = EventStamp & { type: 'REASSIGN'; departmentId: string; reason: string };
export type StartEvent = EventStamp & { type: 'START' } & RectificationPlan;
export type ReportProgressEvent = EventStamp & { type: 'REPORT_PROGRESS'; note: string; percent?: number };
export type SubmitEvent = EventStamp & { type: 'SUBMIT'; summary: string };
export type ApproveEvent = EventStamp & { type: 'APPROVE'; comment: string };
export type RejectEvent = EventStamp & { type: 'REJECT'; reason: string };
export type CloseEvent = EventStamp & { type: 'CLOSE'; comment: string };
export type CancelEvent = EventStamp & { type: 'CANCEL'; reason: string };
export type ReopenEvent = EventStamp & { type: 'REOPEN'; reason: string };

export type RectificationEvent =
  | AssignEvent
  | ReassignEvent
  | StartEvent
  | ReportProgressEvent
  | SubmitEvent
  | ApproveEvent
  | RejectEvent
  | CloseEvent
  | CancelEvent
  | ReopenEvent;

export type RectificationEventType = RectificationEvent['type'];

export const RECTIFICATION_EVENT_TYPES = [
  'ASSIGN',
  'REASSIGN',
  'START',
  'REPORT_PROGRESS',
  'SUBMIT',
  'APPROVE',
  'REJECT',
  'CLOSE',
  'CANCEL',
  'REOPEN',
] as const satisfies readonly RectificationEventType[];

/** Filing is not a machine event (it creates the machine), but it is the first line of every history. */
export const FILE_EVENT = 'FILE';

/** The domain event written to the outbox for each accepted event. */
export const DOMAIN_EVENT_NAMES: Record<RectificationEventType | typeof FILE_EVENT, string> = {
  FILE: 'problem.filed',
  ASSIGN: 'problem.assigned',
  REASSIGN: 'problem.reassigned',
  START: 'problem.started',
  REPORT_PROGRESS: 'problem.progress_reported',
  SUBMIT: 'problem.submitted',
  APPROVE: 'problem.approved',
  REJECT: 'problem.rejected',
  CLOSE: 'problem.closed',
  CANCEL: 'problem.cancelled',
  REOPEN: 'problem.reopened',
};

/** What the machine is created from when a problem is filed. */
export interface RectificationInput {
  problemId: string;
  severity: Severity;
  filedBy: string;
  filedAt: string;
  deadline?: string;
}
