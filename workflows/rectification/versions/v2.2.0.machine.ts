/**
 * FROZEN: the rectification machine of version 2.2.0, verbatim from
 * `git show 971e4ad:workflows/rectification/rectification.machine.ts` (only the import paths differ). Replay runs the
 * history rows written under 2.2.0 with it (replay.ts), so an old problem's history still reproduces its snapshot
 * after the live machine has moved on. Never edit it: a change here rewrites the past.
 */
import { assign, raise, setup } from 'xstate';
import type { Severity } from '#domain';
import type {
  ClockSignal,
  DeadlineBasis,
  RectificationEvent,
  RectificationInput,
  RectificationPlan,
} from '../rectification.events.js';

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

/** Whether the clock is suspended now. Stored snapshots from before suspensions existed have no list. */
export function isSuspended(context: RectificationContext): boolean {
  const suspensions = context.suspensions ?? [];
  return suspensions.length > 0 && suspensions[suspensions.length - 1].to === null;
}

/** Ends an open suspension (without counting it) when the problem leaves the clock's hands altogether. */
function closeOpenSuspension(context: RectificationContext, at: string): SuspensionRecord[] {
  const suspensions = context.suspensions ?? [];
  if (!isSuspended(context)) return suspensions;
  return suspensions.map((s, i) => (i === suspensions.length - 1 ? { ...s, to: at } : s));
}

/**
 * What a running clock (on track, due soon, overdue, escalated — the department has the problem) accepts besides
 * timers: one extension or suspension request at a time from the department, and a supervisor's decision on it.
 * An approved extension starts the clock afresh on track for the new deadline; an approved suspension stops it.
 */
const REQUESTS_WHILE_RUNNING = {
  REQUEST_EXTENSION: { guard: 'noPendingRequest', actions: 'recordRequest' },
  REQUEST_SUSPENSION: { guard: 'noPendingRequest', actions: 'recordRequest' },
  APPROVE_EXTENSION: { guard: 'extensionPending', target: 'onTrack', actions: 'grantExtension' },
  REJECT_EXTENSION: { guard: 'extensionPending', actions: 'declineRequest' },
  APPROVE_SUSPENSION: { guard: 'suspensionPending', target: 'suspended', actions: 'startSuspension' },
  REJECT_SUSPENSION: { guard: 'suspensionPending', actions: 'declineRequest' },
  // A policy deadline counted again on the current calendar: like an approved extension, a new deadline still
  // ahead starts the clock afresh on track; one already passed leaves the clock where it stands.
  RECOUNT_DEADLINE: [
    { guard: 'recountedDeadlineAhead', target: 'onTrack', actions: ['recordRecount', 'resetClock'] },
    { actions: 'recordRecount' },
  ],
} as const;

/**
 * The rectification (整改) statechart, two regions in parallel:
 * - `rectification`: found → assigned → rectifying → verified → closed, plus cancelled;
 * - `deadline`: the clock — on track → due soon → overdue → escalated (level n), paused while verifying.
 * Pure: actions only update context or raise clock signals between the regions; the engine persists the
 * result, emits the domain events and schedules the next timer.
 */
export const rectificationMachine = setup({
  types: {
    context: {} as RectificationContext,
    events: {} as RectificationEvent | ClockSignal,
    input: {} as RectificationInput,
  },
  actions: {
    recordAssignment: assign(({ context, event }) => {
      if (event.type !== 'ASSIGN') return {};
      return {
        departmentId: event.departmentId,
        responsiblePerson: event.responsiblePerson ?? null,
        deadline: event.deadline ?? context.deadline,
        originalDeadline: event.deadline ?? context.deadline,
        deadlineBasis:
          event.deadlineBasis ?? (event.deadline !== undefined ? { kind: 'explicit', setAt: event.at } : context.deadlineBasis),
      };
    }),
    recordReassignment: assign(({ event }) => {
      if (event.type !== 'REASSIGN') return {};
      // The new department makes its own plan; the old one's plan, progress and pending request no longer apply.
      return {
        departmentId: event.departmentId,
        responsiblePerson: null,
        plan: null,
        latestProgress: null,
        submission: null,
        pendingRequest: null,
      };
    }),
    recordPlan: assign(({ event }) => {
      if (event.type !== 'START') return {};
      const { measures, responsiblePerson, plannedCompletionDate } = event;
      return { plan: { measures, responsiblePerson, plannedCompletionDate }, responsiblePerson };
    }),
    recordProgress: assign(({ event }) => {
      if (event.type !== 'REPORT_PROGRESS') return {};
      return { latestProgress: { note: event.note, percent: event.percent ?? null, at: event.at } };
    }),
    recordSubmission: assign(({ event }) => {
      if (event.type !== 'SUBMIT') return {};
      // A request still pending lapses: the work is handed in, the clock pauses.
      return { submission: { summary: event.summary, at: event.at }, pendingRequest: null };
    }),
    endRequestsAndSuspension: assign(({ context, event }) => ({
      pendingRequest: null,
      suspensions: closeOpenSuspension(context, 'at' in event ? event.at : ''),
    })),
    // Extension and suspension requests, decided by a supervisor.
    recordRequest: assign(({ event }) => {
      if (event.type === 'REQUEST_EXTENSION') {
        return {
          pendingRequest: {
            kind: 'extension' as const,
            reason: event.reason,
            proposedDeadline: event.proposedDeadline,
            requestedAt: event.at,
            requestedBy: event.actorId,
          },
        };
      }
      if (event.type === 'REQUEST_SUSPENSION') {
        return { pendingRequest: { kind: 'suspension' as const, reason: event.reason, requestedAt: event.at, requestedBy: event.actorId } };
      }
      return {};
    }),
    declineRequest: assign({ pendingRequest: null }),
    // An extension sets a new deadline and starts its clock afresh: reminders for it, then the ladder from level 1
    // if it passes too. What the clock had reached is kept in the extension's record (and in the history).
    grantExtension: assign(({ context, event }) => {
      const pending = context.pendingRequest;
      if (event.type !== 'APPROVE_EXTENSION' || pending?.kind !== 'extension') return {};
      const to = event.deadline ?? pending.proposedDeadline;
      return {
        deadline: to,
        extensionCount: (context.extensionCount ?? 0) + 1,
        extensions: [
          ...(context.extensions ?? []),
          {
            from: context.deadline,
            to,
            reason: pending.reason,
            requestedAt: pending.requestedAt,
            requestedBy: pending.requestedBy,
            approvedAt: event.at,
            approvedBy: event.actorId,
            clockBefore: {
              remindersSent: context.remindersSent,
              overdueSince: context.overdueSince,
              escalationLevel: context.escalationLevel,
            },
          },
        ],
        pendingRequest: null,
        remindersSent: 0,
        overdueSince: null,
        escalationLevel: 0,
      };
    }),
    // The deadline counted again on the current calendar version (by the engine, recorded in the event). The
    // original deadline stays as it was; a pending request stays pending.
    recordRecount: assign(({ context, event }) => {
      if (event.type !== 'RECOUNT_DEADLINE') return {};
      return {
        deadline: event.deadline ?? context.deadline,
        deadlineBasis: event.deadlineBasis ?? context.deadlineBasis,
      };
    }),
    startSuspension: assign(({ context, event }) => {
      const pending = context.pendingRequest;
      if (event.type !== 'APPROVE_SUSPENSION' || pending?.kind !== 'suspension') return {};
      return {
        pendingRequest: null,
        suspensions: [
          ...(context.suspensions ?? []),
          {
            from: event.at,
            to: null,
            reason: pending.reason,
            requestedAt: pending.requestedAt,
            requestedBy: pending.requestedBy,
            approvedBy: event.actorId,
            resumedBy: null,
            workingDays: null,
            deadlineBefore: context.deadline,
            deadlineAfter: null,
          },
        ],
      };
    }),
    // Suspended time does not count: the deadline moves by the working days the suspension covered.
    endSuspension: assign(({ context, event }) => {
      if (event.type !== 'RESUME' || !isSuspended(context)) return {};
      const deadline = event.deadline ?? context.deadline;
      const suspensions = context.suspensions.map((s, i) =>
        i === context.suspensions.length - 1
          ? { ...s, to: event.at, resumedBy: event.actorId, workingDays: event.suspendedWorkingDays ?? 0, deadlineAfter: deadline }
          : s,
      );
      return { suspensions, deadline };
    }),
    countReworkRound: assign(({ context }) => ({ reworkCount: context.reworkCount + 1, submission: null })),
    recordClosure: assign(({ event }) => ({ closedAt: 'at' in event ? event.at : null })),
    recordReopening: assign(({ context, event }) => {
      if (event.type !== 'REOPEN') return {};
      return {
        reopenCount: context.reopenCount + 1,
        closedAt: null,
        submission: null,
        deadline: event.deadline ?? context.deadline,
        deadlineBasis: event.deadlineBasis ?? (event.deadline !== undefined ? { kind: 'explicit', setAt: event.at } : context.deadlineBasis),
      };
    }),
    // The deadline region's bookkeeping.
    countReminder: assign(({ context }) => ({ remindersSent: context.remindersSent + 1 })),
    markOverdue: assign(({ event }) => ({ overdueSince: event.type === 'DEADLINE_PASSED' ? event.scheduledFor : null })),
    raiseEscalationLevel: assign(({ event, context }) => ({
      escalationLevel: event.type === 'ESCALATE' ? event.level : context.escalationLevel,
    })),
    markVerificationOverdue: assign(({ event }) => ({
      verificationOverdueSince: event.type === 'VERIFICATION_OVERDUE' ? event.scheduledFor : null,
    })),
    clearVerificationOverdue: assign({ verificationOverdueSince: null }),
    // A reopened problem gets a new deadline, and its clock starts afresh.
    resetClock: assign({ remindersSent: 0, overdueSince: null, escalationLevel: 0, verificationOverdueSince: null }),
    startClock: raise({ type: 'CLOCK.START' } as ClockSignal),
    pauseClock: raise({ type: 'CLOCK.PAUSE' } as ClockSignal),
    resumeClock: raise({ type: 'CLOCK.RESUME' } as ClockSignal),
    stopClock: raise({ type: 'CLOCK.STOP' } as ClockSignal),
    cancelClock: raise({ type: 'CLOCK.CANCEL' } as ClockSignal),
    restartClock: raise({ type: 'CLOCK.RESTART' } as ClockSignal),
  },
  guards: {
    isNextEscalationLevel: ({ context, event }) => event.type === 'ESCALATE' && event.level === context.escalationLevel + 1,
    hasEscalated: ({ context }) => context.escalationLevel > 0,
    isOverdue: ({ context }) => context.overdueSince !== null,
    wasReminded: ({ context }) => context.remindersSent > 0,
    noPendingRequest: ({ context }) => !context.pendingRequest,
    extensionPending: ({ context }) => context.pendingRequest?.kind === 'extension',
    suspensionPending: ({ context }) => context.pendingRequest?.kind === 'suspension',
    clockNotSuspended: ({ context }) => !isSuspended(context),
    recountedDeadlineAhead: ({ event }) =>
      event.type === 'RECOUNT_DEADLINE' && event.deadline !== undefined && Date.parse(event.deadline) > Date.parse(event.at),
  },
}).createMachine({
  id: 'rectification',
  version: '2.2.0',
  type: 'parallel',
  // XState's transition() builds a throw-away actor that computes an initial snapshot without input; a missing input
  // is answered with blank facts instead of a TypeError, whose construction cost a quarter of every transition.
  // Every real problem starts through startRectification(), with input.
  context: ({ input: given }) => {
    const input: RectificationInput = given ?? { problemId: '', severity: 'minor', filedBy: '', filedAt: '' };
    return {
      problemId: input.problemId,
      severity: input.severity,
      filedBy: input.filedBy,
      filedAt: input.filedAt,
      departmentId: null,
      responsiblePerson: null,
      deadline: input.deadline ?? null,
      deadlineBasis: input.deadline === undefined ? null : { kind: 'explicit', setAt: input.filedAt },
      plan: null,
      latestProgress: null,
      submission: null,
      reworkCount: 0,
      reopenCount: 0,
      closedAt: null,
      remindersSent: 0,
      overdueSince: null,
      escalationLevel: 0,
      verificationOverdueSince: null,
      originalDeadline: input.deadline ?? null,
      extensionCount: 0,
      extensions: [],
      pendingRequest: null,
      suspensions: [],
    };
  },
  states: {
    /** The work: who has the problem and where its rectification stands. */
    rectification: {
      initial: 'found',
      states: {
        found: {
          on: {
            ASSIGN: { target: 'assigned', actions: ['recordAssignment', 'startClock'] },
            CANCEL: { target: 'cancelled', actions: ['endRequestsAndSuspension', 'cancelClock'] },
          },
        },
        assigned: {
          id: 'assigned',
          on: {
            // A suspended clock is resumed before the problem is handed over.
            REASSIGN: { guard: 'clockNotSuspended', target: 'assigned', actions: 'recordReassignment' },
            START: { target: 'rectifying', actions: 'recordPlan' },
            CANCEL: { target: 'cancelled', actions: ['endRequestsAndSuspension', 'cancelClock'] },
          },
        },
        rectifying: {
          initial: 'inProgress',
          on: {
            CANCEL: { target: 'cancelled', actions: ['endRequestsAndSuspension', 'cancelClock'] },
          },
          states: {
            inProgress: {
              on: {
                REPORT_PROGRESS: { actions: 'recordProgress' },
                // A suspended clock is resumed before the work is handed in or handed over.
                SUBMIT: { guard: 'clockNotSuspended', target: 'awaitingVerification', actions: ['recordSubmission', 'pauseClock'] },
                REASSIGN: { guard: 'clockNotSuspended', target: '#assigned', actions: 'recordReassignment' },
              },
            },
            awaitingVerification: {
              on: {
                APPROVE: { target: '#verified', actions: 'stopClock' },
                // Rejection restarts the clock without forgiving the time already elapsed.
                REJECT: { target: 'inProgress', actions: ['countReworkRound', 'resumeClock'] },
                REASSIGN: { target: '#assigned', actions: ['recordReassignment', 'resumeClock'] },
              },
            },
          },
        },
        verified: {
          id: 'verified',
          on: {
            CLOSE: { target: 'closed', actions: 'recordClosure' },
          },
        },
        closed: {
          on: {
            REOPEN: { target: 'rectifying', actions: ['recordReopening', 'restartClock'] },
          },
        },
        cancelled: { type: 'final' },
      },
    },
    /**
     * The clock: the rectification deadline, its reminders and the escalation ladder, driven by timer events
     * the scheduler fires through the engine. Runs while the department has the problem; submitting pauses it,
     * rejection resumes it, approval stops it, cancelling ends it. An approved suspension stops it (`suspended`)
     * until RESUME; an approved extension restarts it on track for the new deadline, and so does a deadline
     * recounted on the current calendar (RECOUNT_DEADLINE) when the recounted one lies ahead.
     */
    deadline: {
      initial: 'notSet',
      states: {
        notSet: {
          on: { 'CLOCK.START': 'onTrack' },
        },
        onTrack: {
          on: {
            DEADLINE_REMINDER: { target: 'dueSoon', actions: 'countReminder' },
            DEADLINE_PASSED: { target: 'overdue', actions: 'markOverdue' },
            ...REQUESTS_WHILE_RUNNING,
          },
        },
        dueSoon: {
          on: {
            DEADLINE_REMINDER: { target: 'dueSoon', actions: 'countReminder' },
            DEADLINE_PASSED: { target: 'overdue', actions: 'markOverdue' },
            ...REQUESTS_WHILE_RUNNING,
          },
        },
        overdue: {
          on: {
            ESCALATE: { guard: 'isNextEscalationLevel', target: 'escalated', actions: 'raiseEscalationLevel' },
            ...REQUESTS_WHILE_RUNNING,
          },
        },
        escalated: {
          on: {
            ESCALATE: { guard: 'isNextEscalationLevel', target: 'escalated', actions: 'raiseEscalationLevel' },
            ...REQUESTS_WHILE_RUNNING,
          },
        },
        /**
         * An approved suspension: the clock stands still (no timer fires) until RESUME, which moves the deadline by
         * the working days it covered and puts the clock back where it stood.
         */
        suspended: {
          on: {
            RESUME: { target: 'resuming', actions: 'endSuspension' },
          },
        },
        /** Submitted: the rectification clock is paused while the inspecting side verifies. */
        verifying: {
          on: {
            VERIFICATION_OVERDUE: { target: 'verificationOverdue', actions: 'markVerificationOverdue' },
          },
        },
        verificationOverdue: {},
        /** Where the clock stood before it was paused: decided from what already happened, never forgiven. */
        resuming: {
          always: [
            { guard: 'hasEscalated', target: 'escalated' },
            { guard: 'isOverdue', target: 'overdue' },
            { guard: 'wasReminded', target: 'dueSoon' },
            { target: 'onTrack' },
          ],
        },
        stopped: {
          on: { 'CLOCK.RESTART': { target: 'onTrack', actions: 'resetClock' } },
        },
        cancelled: { type: 'final' },
      },
      on: {
        'CLOCK.PAUSE': '.verifying',
        'CLOCK.RESUME': { target: '.resuming', actions: 'clearVerificationOverdue' },
        'CLOCK.STOP': { target: '.stopped', actions: 'clearVerificationOverdue' },
        'CLOCK.CANCEL': '.cancelled',
      },
    },
  },
});

export type RectificationMachine = typeof rectificationMachine;
export const RECTIFICATION_MACHINE_ID = rectificationMachine.id;
export const RECTIFICATION_MACHINE_VERSION = rectificationMachine.version ?? '0';
