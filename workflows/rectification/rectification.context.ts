import type { Severity } from '#domain';
import type { DeadlineBasis, RectificationPlan } from './rectification.events.js';

/**
 * What the rectification statechart remembers about one problem (its context), as stored with every snapshot. Every
 * field is present in a snapshot of the current workflow version; older snapshots are brought up to it by
 * workflow-versions.ts when they are loaded.
 */

/** A request waiting for a supervisor's decision; at most one at a time. */
export type PendingRequest =
  | { kind: 'extension'; reason: string; proposedDeadline: string; requestedAt: string; requestedBy: string }
  | { kind: 'suspension'; reason: string; requestedAt: string; requestedBy: string };

/** An approved extension: the deadline it replaced and the one it set. */
export interface ExtensionRecord {
  from: string | null;
  to: string;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  approvedAt: string;
  approvedBy: string;
  /** Where the clock stood when the extension was granted (the new deadline starts it afresh). */
  clockBefore: { remindersSent: number; overdueSince: string | null; escalationLevel: number };
}

/** An approved suspension of the clock: from approval to RESUME (`to` null while it lasts). */
export interface SuspensionRecord {
  from: string;
  to: string | null;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  approvedBy: string;
  resumedBy: string | null;
  /** Working days it covered, by which the deadline moved; null while it lasts, or when cancelled. */
  workingDays: number | null;
  deadlineBefore: string | null;
  deadlineAfter: string | null;
}

export interface RectificationContext {
  problemId: string;
  severity: Severity;
  filedBy: string;
  filedAt: string;
  departmentId: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  /** How the deadline was set (explicitly, or by the working-day policy on a calendar version). */
  deadlineBasis: DeadlineBasis | null;
  plan: RectificationPlan | null;
  latestProgress: { note: string; percent: number | null; at: string } | null;
  submission: { summary: string; at: string } | null;
  /** Rework rounds: how many times verification sent the problem back (整改退回). */
  reworkCount: number;
  reopenCount: number;
  closedAt: string | null;
  /** Reminders sent for the current deadline. */
  remindersSent: number;
  /** When the current deadline passed (set by DEADLINE_PASSED), null while it has not. */
  overdueSince: string | null;
  /** Escalation level reached (0: none; 1: department head, 2: supervising office, 3: leadership). */
  escalationLevel: number;
  /** Set when a submitted rectification was not verified in time. */
  verificationOverdueSince: string | null;
  /** The deadline the department was first given (at ASSIGN; before it, the one set at filing). */
  originalDeadline: string | null;
  /** Approved extensions (延期) so far. */
  extensionCount: number;
  extensions: ExtensionRecord[];
  /** An extension or suspension request waiting for a supervisor; null when none. */
  pendingRequest: PendingRequest | null;
  /** Approved suspensions of the clock, oldest first; the last one is open (`to` null) while suspended. */
  suspensions: SuspensionRecord[];
}

/** Whether the clock is suspended now. */
export function isSuspended(context: RectificationContext): boolean {
  const { suspensions } = context;
  return suspensions.length > 0 && suspensions[suspensions.length - 1].to === null;
}

