import { and, assertEvent, assign, or, raise, setup, stateIn } from 'xstate';
import { isSuspended, type RectificationContext, type SuspensionRecord } from './rectification.context.js';
import type { ClockSignal, RectificationEvent, RectificationInput } from './rectification.events.js';

/** Ends an open suspension (without counting it) when the problem leaves the clock's hands altogether. */
function closeOpenSuspension(context: RectificationContext, at: string): SuspensionRecord[] {
  const { suspensions } = context;
  if (!isSuspended(context)) return suspensions;
  return suspensions.map((s, i) => (i === suspensions.length - 1 ? { ...s, to: at } : s));
}

/** The clock runs (on track, due soon, overdue, escalated): the department has the problem and its deadline counts. */
const clockRunning = or([
  stateIn({ deadline: 'onTrack' }),
  stateIn({ deadline: 'dueSoon' }),
  stateIn({ deadline: 'overdue' }),
  stateIn({ deadline: 'escalated' }),
]);

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
      assertEvent(event, 'ASSIGN');
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
      assertEvent(event, 'REASSIGN');
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
      assertEvent(event, 'START');
      const { measures, responsiblePerson, plannedCompletionDate } = event;
      return { plan: { measures, responsiblePerson, plannedCompletionDate }, responsiblePerson };
    }),
    recordProgress: assign(({ event }) => {
      assertEvent(event, 'REPORT_PROGRESS');
      return { latestProgress: { note: event.note, percent: event.percent ?? null, at: event.at } };
    }),
    recordSubmission: assign(({ event }) => {
      assertEvent(event, 'SUBMIT');
      // A request still pending lapses: the work is handed in, the clock pauses.
      return { submission: { summary: event.summary, at: event.at }, pendingRequest: null };
    }),
    endRequestsAndSuspension: assign(({ context, event }) => {
      assertEvent(event, 'CANCEL');
      return { pendingRequest: null, suspensions: closeOpenSuspension(context, event.at) };
    }),
    // Extension and suspension requests, decided by a supervisor.
    recordRequest: assign(({ event }) => {
      assertEvent(event, ['REQUEST_EXTENSION', 'REQUEST_SUSPENSION']);
      const { reason, at: requestedAt, actorId: requestedBy } = event;
      return {
        pendingRequest:
          event.type === 'REQUEST_EXTENSION'
            ? { kind: 'extension' as const, reason, proposedDeadline: event.proposedDeadline, requestedAt, requestedBy }
            : { kind: 'suspension' as const, reason, requestedAt, requestedBy },
      };
    }),
    declineRequest: assign({ pendingRequest: null }),
    // An extension sets a new deadline and starts its clock afresh: reminders for it, then the ladder from level 1
    // if it passes too. What the clock had reached is kept in the extension's record (and in the history).
    grantExtension: assign(({ context, event }) => {
      assertEvent(event, 'APPROVE_EXTENSION');
      const pending = context.pendingRequest;
      // The guard (extensionPending) let only a pending extension through.
      if (pending?.kind !== 'extension') return {};
      const to = event.deadline ?? pending.proposedDeadline;
      return {
        deadline: to,
        extensionCount: context.extensionCount + 1,
        extensions: [
          ...context.extensions,
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
      assertEvent(event, 'RECOUNT_DEADLINE');
      return {
        deadline: event.deadline ?? context.deadline,
        deadlineBasis: event.deadlineBasis ?? context.deadlineBasis,
      };
    }),
    startSuspension: assign(({ context, event }) => {
      assertEvent(event, 'APPROVE_SUSPENSION');
      const pending = context.pendingRequest;
      // The guard (suspensionPending) let only a pending suspension through.
      if (pending?.kind !== 'suspension') return {};
      return {
        pendingRequest: null,
        suspensions: [
          ...context.suspensions,
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
      assertEvent(event, 'RESUME');
      // RESUME is accepted only in the `suspended` clock state, whose suspension is the open last one.
      if (!isSuspended(context)) return {};
      const deadline = event.deadline ?? context.deadline;
      const suspensions = context.suspensions.map((s, i) =>
        i === context.suspensions.length - 1
          ? { ...s, to: event.at, resumedBy: event.actorId, workingDays: event.suspendedWorkingDays ?? 0, deadlineAfter: deadline }
          : s,
      );
      return { suspensions, deadline };
    }),
    countReworkRound: assign(({ context }) => ({ reworkCount: context.reworkCount + 1, submission: null })),
    recordClosure: assign(({ event }) => {
      assertEvent(event, 'CLOSE');
      return { closedAt: event.at };
    }),
    recordReopening: assign(({ context, event }) => {
      assertEvent(event, 'REOPEN');
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
    // Nothing of the machine's changes when the work falls behind its plan (the light is the engine's, from the
    // policy); the event is taken, and recorded, as the light's change.
    takeBehindPlan: assign(({ context }) => ({ remindersSent: context.remindersSent })),
    markOverdue: assign(({ event }) => {
      assertEvent(event, 'DEADLINE_PASSED');
      return { overdueSince: event.scheduledFor };
    }),
    raiseEscalationLevel: assign(({ event }) => {
      assertEvent(event, 'ESCALATE');
      return { escalationLevel: event.level };
    }),
    markVerificationOverdue: assign(({ event }) => {
      assertEvent(event, 'VERIFICATION_OVERDUE');
      return { verificationOverdueSince: event.scheduledFor };
    }),
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
    isNextEscalationLevel: ({ context, event }) => {
      assertEvent(event, 'ESCALATE');
      return event.level === context.escalationLevel + 1;
    },
    hasEscalated: ({ context }) => context.escalationLevel > 0,
    isOverdue: ({ context }) => context.overdueSince !== null,
    wasReminded: ({ context }) => context.remindersSent > 0,
    noPendingRequest: ({ context }) => !context.pendingRequest,
    extensionPending: ({ context }) => context.pendingRequest?.kind === 'extension',
    suspensionPending: ({ context }) => context.pendingRequest?.kind === 'suspension',
    clockNotSuspended: ({ context }) => !isSuspended(context),
    recountedDeadlineAhead: ({ event }) => {
      assertEvent(event, 'RECOUNT_DEADLINE');
      return event.deadline !== undefined && Date.parse(event.deadline) > Date.parse(event.at);
    },
  },
}).createMachine({
  id: 'rectification',
  version: '3.0.0',
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
            // The light by progress changes with the plan; the clock stays where it is.
            BEHIND_PLAN: { actions: 'takeBehindPlan' },
          },
        },
        dueSoon: {
          on: {
            DEADLINE_REMINDER: { target: 'dueSoon', actions: 'countReminder' },
            DEADLINE_PASSED: { target: 'overdue', actions: 'markOverdue' },
            BEHIND_PLAN: { actions: 'takeBehindPlan' },
          },
        },
        overdue: {
          on: {
            ESCALATE: { guard: 'isNextEscalationLevel', target: 'escalated', actions: 'raiseEscalationLevel' },
          },
        },
        escalated: {
          on: {
            ESCALATE: { guard: 'isNextEscalationLevel', target: 'escalated', actions: 'raiseEscalationLevel' },
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
        // What a running clock accepts besides timers, declared once for its four states: one extension or
        // suspension request at a time from the department, and a supervisor's decision on it. An approved
        // extension starts the clock afresh on track for the new deadline; an approved suspension stops it.
        REQUEST_EXTENSION: { guard: and([clockRunning, 'noPendingRequest']), actions: 'recordRequest' },
        REQUEST_SUSPENSION: { guard: and([clockRunning, 'noPendingRequest']), actions: 'recordRequest' },
        APPROVE_EXTENSION: { guard: and([clockRunning, 'extensionPending']), target: '.onTrack', actions: 'grantExtension' },
        REJECT_EXTENSION: { guard: and([clockRunning, 'extensionPending']), actions: 'declineRequest' },
        APPROVE_SUSPENSION: { guard: and([clockRunning, 'suspensionPending']), target: '.suspended', actions: 'startSuspension' },
        REJECT_SUSPENSION: { guard: and([clockRunning, 'suspensionPending']), actions: 'declineRequest' },
        // A policy deadline counted again on the current calendar: like an approved extension, a new deadline still
        // ahead starts the clock afresh on track; one already passed leaves the clock where it stands.
        RECOUNT_DEADLINE: [
          { guard: and([clockRunning, 'recountedDeadlineAhead']), target: '.onTrack', actions: ['recordRecount', 'resetClock'] },
          { guard: clockRunning, actions: 'recordRecount' },
        ],
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
