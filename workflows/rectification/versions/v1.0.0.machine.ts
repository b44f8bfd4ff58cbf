/**
 * FROZEN: the rectification machine of version 1.0.0, verbatim from
 * `git show d7ae5b9:workflows/rectification/rectification.machine.ts` (only the import paths differ). Replay runs the
 * history rows written under 1.0.0 with it (replay.ts), so an old problem's history still reproduces its snapshot
 * after the live machine has moved on. Never edit it: a change here rewrites the past.
 */
import { assign, setup } from 'xstate';
import type { Severity } from '#domain';
import type { RectificationEvent, RectificationInput, RectificationPlan } from '../rectification.events.js';

export interface RectificationContext {
  problemId: string;
  severity: Severity;
  filedBy: string;
  filedAt: string;
  departmentId: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  plan: RectificationPlan | null;
  latestProgress: { note: string; percent: number | null; at: string } | null;
  submission: { summary: string; at: string } | null;
  /** Rework rounds: how many times verification sent the problem back (整改退回). */
  reworkCount: number;
  reopenCount: number;
  closedAt: string | null;
}

/**
 * The rectification (整改) statechart: found → assigned → rectifying → verified → closed, plus cancelled.
 * Pure: actions only update context; the engine persists the result and emits the domain events.
 */
export const rectificationMachine = setup({
  types: {
    context: {} as RectificationContext,
    events: {} as RectificationEvent,
    input: {} as RectificationInput,
  },
  actions: {
    recordAssignment: assign(({ context, event }) => {
      if (event.type !== 'ASSIGN') return {};
      return {
        departmentId: event.departmentId,
        responsiblePerson: event.responsiblePerson ?? null,
        deadline: event.deadline ?? context.deadline,
      };
    }),
    recordReassignment: assign(({ event }) => {
      if (event.type !== 'REASSIGN') return {};
      // The new department makes its own plan; the old one's plan and progress no longer apply.
      return { departmentId: event.departmentId, responsiblePerson: null, plan: null, latestProgress: null, submission: null };
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
      return { submission: { summary: event.summary, at: event.at } };
    }),
    countReworkRound: assign(({ context }) => ({ reworkCount: context.reworkCount + 1, submission: null })),
    recordClosure: assign(({ event }) => ({ closedAt: event.at })),
    recordReopening: assign(({ context }) => ({ reopenCount: context.reopenCount + 1, closedAt: null, submission: null })),
  },
}).createMachine({
  id: 'rectification',
  version: '1.0.0',
  initial: 'found',
  context: ({ input }) => ({
    problemId: input.problemId,
    severity: input.severity,
    filedBy: input.filedBy,
    filedAt: input.filedAt,
    departmentId: null,
    responsiblePerson: null,
    deadline: input.deadline ?? null,
    plan: null,
    latestProgress: null,
    submission: null,
    reworkCount: 0,
    reopenCount: 0,
    closedAt: null,
  }),
  states: {
    found: {
      on: {
        ASSIGN: { target: 'assigned', actions: 'recordAssignment' },
        CANCEL: { target: 'cancelled' },
      },
    },
    assigned: {
      on: {
        REASSIGN: { target: 'assigned', actions: 'recordReassignment' },
        START: { target: 'rectifying', actions: 'recordPlan' },
        CANCEL: { target: 'cancelled' },
      },
    },
    rectifying: {
      initial: 'inProgress',
      on: {
        REASSIGN: { target: 'assigned', actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled' },
      },
      states: {
        inProgress: {
          on: {
            REPORT_PROGRESS: { actions: 'recordProgress' },
            SUBMIT: { target: 'awaitingVerification', actions: 'recordSubmission' },
          },
        },
        awaitingVerification: {
          on: {
            APPROVE: { target: '#rectification.verified' },
            REJECT: { target: 'inProgress', actions: 'countReworkRound' },
          },
        },
      },
    },
    verified: {
      on: {
        CLOSE: { target: 'closed', actions: 'recordClosure' },
      },
    },
    closed: {
      on: {
        REOPEN: { target: 'rectifying', actions: 'recordReopening' },
      },
    },
    cancelled: { type: 'final' },
  },
});

export type RectificationMachine = typeof rectificationMachine;
export const RECTIFICATION_MACHINE_ID = rectificationMachine.id;
export const RECTIFICATION_MACHINE_VERSION = rectificationMachine.version ?? '0';
