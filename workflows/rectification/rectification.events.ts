import type { Severity } from '#domain';

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

/**
 * How a deadline was set. The engine works it out before the machine sees the event, so replay needs no
 * calendar: either given explicitly, or counted in working days by the policy on a stamped calendar version.
 */
export type DeadlineBasis =
  | {
      kind: 'explicit';
      setAt: string;
      /** The policy version whose reminders and ladder the deadline runs under (absent before policies were versioned: 1). */
      policyId?: string;
      policyVersion?: number;
    }
  | {
      kind: 'policy';
      policyId: string;
      policyVersion: number;
      calendarId: string;
      calendarVersion: number;
      /** Instant the count starts from (its local day is not counted). */
      from: string;
      workingDays: number;
      /** Some counted day lies beyond the holidays the calendar knows (next year's, unpublished). */
      provisional: boolean;
    };

export type AssignEvent = EventStamp & {
  type: 'ASSIGN';
  departmentId: string;
  responsiblePerson?: string;
  deadline?: string;
  /** Set by the engine whenever it fills in or confirms the deadline. */
  deadlineBasis?: DeadlineBasis;
};
export type ReassignEvent = EventStamp & { type: 'REASSIGN'; departmentId: string; reason: string };
export type StartEvent = EventStamp & { type: 'START' } & RectificationPlan;
export type ReportProgressEvent = EventStamp & { type: 'REPORT_PROGRESS'; note: string; percent?: number };
export type SubmitEvent = EventStamp & {
  type: 'SUBMIT';
  summary: string;
  /** The rectification evidence this submission carries; filled in by the engine (never by the caller). */
  evidence?: SubmittedEvidence[];
};
export interface SubmittedEvidence {
  id: string;
  sha256: string;
  name: string;
}
export type ApproveEvent = EventStamp & { type: 'APPROVE'; comment: string };
export type RejectEvent = EventStamp & { type: 'REJECT'; reason: string };
export type CloseEvent = EventStamp & { type: 'CLOSE'; comment: string };
export type CancelEvent = EventStamp & { type: 'CANCEL'; reason: string };
export type ReopenEvent = EventStamp & {
  type: 'REOPEN';
  reason: string;
  /** A new rectification deadline; counted from the policy by the engine when absent. */
  deadline?: string;
  deadlineBasis?: DeadlineBasis;
};

/**
 * Extension and suspension (延期 / 中止计时), each asked for by the responsible department and decided by a
 * supervisor over the problem: nobody moves or stops their own clock without approval.
 */
export type RequestExtensionEvent = EventStamp & {
  type: 'REQUEST_EXTENSION';
  reason: string;
  /** The deadline asked for: later than the current one. */
  proposedDeadline: string;
};
export type ApproveExtensionEvent = EventStamp & {
  type: 'APPROVE_EXTENSION';
  comment?: string;
  /** The new deadline; the engine fills in the proposed one when absent, so replay needs no lookup. */
  deadline?: string;
};
export type RejectExtensionEvent = EventStamp & { type: 'REJECT_EXTENSION'; reason: string };
/** Asks to stop the clock while the work waits on a third party (an outside supplier, an approval, …). */
export type RequestSuspensionEvent = EventStamp & { type: 'REQUEST_SUSPENSION'; reason: string };
export type ApproveSuspensionEvent = EventStamp & { type: 'APPROVE_SUSPENSION'; comment?: string };
export type RejectSuspensionEvent = EventStamp & { type: 'REJECT_SUSPENSION'; reason: string };
/**
 * Ends an approved suspension. The engine counts, before the machine sees it, the working days the suspension
 * covered on the organisation's calendar and the deadline they push the current one to, so replay needs no
 * calendar.
 */
export type ResumeEvent = EventStamp & {
  type: 'RESUME';
  comment?: string;
  /** Working days from the suspension's start to now (the start's own day not counted). */
  suspendedWorkingDays?: number;
  /** The current deadline moved later by those working days. */
  deadline?: string;
  calendarId?: string;
  calendarVersion?: number;
};

/**
 * Counts a policy-based deadline again, on request (a supervisor over the problem, or an admin), on the calendar
 * version in force now: same start, same number of working days. The engine recounts before the machine sees it
 * and records the new deadline and its basis (the new calendar version) in the event, so replay needs no
 * calendar. Without it, a deadline keeps the calendar version it was counted with.
 */
export type RecountDeadlineEvent = EventStamp & {
  type: 'RECOUNT_DEADLINE';
  reason: string;
  /** The recounted deadline; filled in by the engine (never by the caller). */
  deadline?: string;
  deadlineBasis?: DeadlineBasis;
};

/**
 * Timer events: fired by the scheduler through the engine (actor `system`), never sent over the API. Each
 * carries when it was due, so a late firing (after downtime) is visible in the history.
 */
export type DeadlineReminderEvent = EventStamp & { type: 'DEADLINE_REMINDER'; scheduledFor: string; workingDaysBefore: number };
export type DeadlinePassedEvent = EventStamp & { type: 'DEADLINE_PASSED'; scheduledFor: string };
export type EscalateEvent = EventStamp & { type: 'ESCALATE'; scheduledFor: string; level: number };
export type VerificationOverdueEvent = EventStamp & { type: 'VERIFICATION_OVERDUE'; scheduledFor: string };
/**
 * Under a light rule by progress: the plan (the elapsed share of the working days) has run so far ahead of the last
 * reported percent that the light turns `light`. Changes nothing in the machine; it is the light's own event.
 */
export type BehindPlanEvent = EventStamp & { type: 'BEHIND_PLAN'; scheduledFor: string; light: 'yellow' | 'red'; plannedPercent: number };
export type TimerEvent = DeadlineReminderEvent | DeadlinePassedEvent | EscalateEvent | VerificationOverdueEvent | BehindPlanEvent;
export type TimerEventType = TimerEvent['type'];
export const TIMER_EVENT_TYPES = ['DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE', 'VERIFICATION_OVERDUE', 'BEHIND_PLAN'] as const satisfies readonly TimerEventType[];

/** Raised by the rectification region for the deadline region; internal to the machine. */
export type ClockSignal = { type: 'CLOCK.START' | 'CLOCK.PAUSE' | 'CLOCK.RESUME' | 'CLOCK.STOP' | 'CLOCK.CANCEL' | 'CLOCK.RESTART' };

/** Events a person sends over the API. */
export type HumanEvent =
  | AssignEvent
  | ReassignEvent
  | StartEvent
  | ReportProgressEvent
  | SubmitEvent
  | ApproveEvent
  | RejectEvent
  | CloseEvent
  | CancelEvent
  | ReopenEvent
  | RequestExtensionEvent
  | ApproveExtensionEvent
  | RejectExtensionEvent
  | RequestSuspensionEvent
  | ApproveSuspensionEvent
  | RejectSuspensionEvent
  | ResumeEvent
  | RecountDeadlineEvent;

/** Everything the engine may feed the machine. */
export type RectificationEvent = HumanEvent | TimerEvent;

/** Types of the events people send (the API's vocabulary). */
export type RectificationEventType = HumanEvent['type'];

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
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'REJECT_EXTENSION',
  'REQUEST_SUSPENSION',
  'APPROVE_SUSPENSION',
  'REJECT_SUSPENSION',
  'RESUME',
  'RECOUNT_DEADLINE',
] as const satisfies readonly RectificationEventType[];

/**
 * Fields of a person's event that only the engine fills in (from the calendar, the policy or the evidence
 * store) before the machine sees it. Whatever a caller puts there is dropped, whoever the caller is.
 */
export const ENGINE_SET_FIELDS: Partial<Record<RectificationEventType, readonly string[]>> = {
  ASSIGN: ['deadlineBasis'],
  REOPEN: ['deadlineBasis'],
  SUBMIT: ['evidence'],
  RESUME: ['suspendedWorkingDays', 'deadline', 'calendarId', 'calendarVersion'],
  RECOUNT_DEADLINE: ['deadline', 'deadlineBasis'],
};

/** Filing is not a machine event (it creates the machine), but it is the first line of every history. */
export const FILE_EVENT = 'FILE';

/** The domain event written to the outbox for each accepted event. */
export const DOMAIN_EVENT_NAMES: Record<RectificationEventType | TimerEventType | typeof FILE_EVENT, string> = {
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
  REQUEST_EXTENSION: 'problem.extension_requested',
  APPROVE_EXTENSION: 'problem.extension_approved',
  REJECT_EXTENSION: 'problem.extension_rejected',
  REQUEST_SUSPENSION: 'problem.suspension_requested',
  APPROVE_SUSPENSION: 'problem.suspended',
  REJECT_SUSPENSION: 'problem.suspension_rejected',
  RESUME: 'problem.resumed',
  RECOUNT_DEADLINE: 'problem.deadline_recounted',
  DEADLINE_REMINDER: 'problem.deadline_approaching',
  DEADLINE_PASSED: 'problem.overdue',
  ESCALATE: 'problem.escalated',
  VERIFICATION_OVERDUE: 'problem.verification_overdue',
  BEHIND_PLAN: 'problem.behind_plan',
};

/** What the machine is created from when a problem is filed. */
export interface RectificationInput {
  problemId: string;
  severity: Severity;
  filedBy: string;
  filedAt: string;
  deadline?: string;
}
