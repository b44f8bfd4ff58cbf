import { describe, expect, it } from '@jest/globals';
import {
  RECTIFICATION_EVENT_TYPES,
  type RectificationEvent,
  type RectificationEventType,
  type RectificationInput,
} from './rectification.events.js';
import { rectificationMachine } from './rectification.machine.js';
import {
  acceptedEvents,
  applyEvent,
  startRectification,
  stateDetail,
  type StoredSnapshot,
} from './rectification.workflow.js';

const FILED_AT = '2026-03-02T01:00:00.000Z';
const INPUT: RectificationInput = { problemId: 'p-1', severity: 'major', filedBy: 'inspector-1', filedAt: FILED_AT };

type StateName =
  | 'found'
  | 'assigned'
  | 'rectifying.inProgress'
  | 'rectifying.awaitingVerification'
  | 'verified'
  | 'closed'
  | 'cancelled';

let clockMs = Date.parse(FILED_AT);
function nextAt(): string {
  clockMs += 60_000;
  return new Date(clockMs).toISOString();
}

/** A stamped event of the given type with a valid payload; `overrides` replace payload fields. */
function event(type: RectificationEventType, overrides: Record<string, unknown> = {}): RectificationEvent {
  const stamp = { at: nextAt(), actorId: 'actor-1' };
  const payloads: Record<RectificationEventType, Record<string, unknown>> = {
    ASSIGN: { departmentId: 'dept-a', responsiblePerson: 'Wang', deadline: '2026-04-01T00:00:00.000Z' },
    REASSIGN: { departmentId: 'dept-b', reason: 'wrong department' },
    START: { measures: 'replace the railing', responsiblePerson: 'Li', plannedCompletionDate: '2026-03-20' },
    REPORT_PROGRESS: { note: 'half done', percent: 50 },
    SUBMIT: { summary: 'railing replaced' },
    APPROVE: { comment: 'checked on site' },
    REJECT: { reason: 'bolts missing' },
    CLOSE: { comment: 'closed out' },
    CANCEL: { reason: 'duplicate finding' },
    REOPEN: { reason: 'railing loose again' },
    REQUEST_EXTENSION: { reason: 'the railing is on back-order', proposedDeadline: '2026-05-01T00:00:00.000Z' },
    APPROVE_EXTENSION: { comment: 'agreed' },
    REJECT_EXTENSION: { reason: 'not justified' },
    REQUEST_SUSPENSION: { reason: 'waiting for the landlord' },
    APPROVE_SUSPENSION: { comment: 'agreed' },
    REJECT_SUSPENSION: { reason: 'work can go on meanwhile' },
    RESUME: { comment: 'landlord answered' },
    RECOUNT_DEADLINE: { reason: 'a closure was added to the calendar', deadline: '2026-04-02T00:00:00.000Z' },
  };
  return { type, ...stamp, ...payloads[type], ...overrides } as RectificationEvent;
}

/** Drives a fresh problem through the given events, failing loudly if any is not accepted. */
function drive(types: readonly RectificationEventType[], input: RectificationInput = INPUT): StoredSnapshot {
  let snapshot = startRectification(input);
  for (const type of types) {
    const next = applyEvent(snapshot, event(type));
    if (!next) throw new Error(`${type} was not accepted in ${stateDetail(snapshot.value)} while building a fixture`);
    snapshot = next;
  }
  return snapshot;
}

const PATHS: Record<StateName, readonly RectificationEventType[]> = {
  found: [],
  assigned: ['ASSIGN'],
  'rectifying.inProgress': ['ASSIGN', 'START'],
  'rectifying.awaitingVerification': ['ASSIGN', 'START', 'SUBMIT'],
  verified: ['ASSIGN', 'START', 'SUBMIT', 'APPROVE'],
  closed: ['ASSIGN', 'START', 'SUBMIT', 'APPROVE', 'CLOSE'],
  cancelled: ['CANCEL'],
};

function inState(state: StateName): StoredSnapshot {
  return drive(PATHS[state]);
}

const STATES = Object.keys(PATHS) as StateName[];

type Expected = StateName | 'rejected';

// Every state × every event, written out so the table reads as the specification of the statechart.
const TRANSITIONS: ReadonlyArray<readonly [StateName, RectificationEventType, Expected]> = [
  ['found', 'ASSIGN', 'assigned'],
  ['found', 'REASSIGN', 'rejected'],
  ['found', 'START', 'rejected'],
  ['found', 'REPORT_PROGRESS', 'rejected'],
  ['found', 'SUBMIT', 'rejected'],
  ['found', 'APPROVE', 'rejected'],
  ['found', 'REJECT', 'rejected'],
  ['found', 'CLOSE', 'rejected'],
  ['found', 'CANCEL', 'cancelled'],
  ['found', 'REOPEN', 'rejected'],
  ['found', 'REQUEST_EXTENSION', 'rejected'],
  ['found', 'APPROVE_EXTENSION', 'rejected'],
  ['found', 'REJECT_EXTENSION', 'rejected'],
  ['found', 'REQUEST_SUSPENSION', 'rejected'],
  ['found', 'APPROVE_SUSPENSION', 'rejected'],
  ['found', 'REJECT_SUSPENSION', 'rejected'],
  ['found', 'RESUME', 'rejected'],
  ['found', 'RECOUNT_DEADLINE', 'rejected'],

  ['assigned', 'ASSIGN', 'rejected'],
  ['assigned', 'REASSIGN', 'assigned'],
  ['assigned', 'START', 'rectifying.inProgress'],
  ['assigned', 'REPORT_PROGRESS', 'rejected'],
  ['assigned', 'SUBMIT', 'rejected'],
  ['assigned', 'APPROVE', 'rejected'],
  ['assigned', 'REJECT', 'rejected'],
  ['assigned', 'CLOSE', 'rejected'],
  ['assigned', 'CANCEL', 'cancelled'],
  ['assigned', 'REOPEN', 'rejected'],
  ['assigned', 'REQUEST_EXTENSION', 'assigned'],
  ['assigned', 'APPROVE_EXTENSION', 'rejected'],
  ['assigned', 'REJECT_EXTENSION', 'rejected'],
  ['assigned', 'REQUEST_SUSPENSION', 'assigned'],
  ['assigned', 'APPROVE_SUSPENSION', 'rejected'],
  ['assigned', 'REJECT_SUSPENSION', 'rejected'],
  ['assigned', 'RESUME', 'rejected'],
  ['assigned', 'RECOUNT_DEADLINE', 'assigned'],

  ['rectifying.inProgress', 'ASSIGN', 'rejected'],
  ['rectifying.inProgress', 'REASSIGN', 'assigned'],
  ['rectifying.inProgress', 'START', 'rejected'],
  ['rectifying.inProgress', 'REPORT_PROGRESS', 'rectifying.inProgress'],
  ['rectifying.inProgress', 'SUBMIT', 'rectifying.awaitingVerification'],
  ['rectifying.inProgress', 'APPROVE', 'rejected'],
  ['rectifying.inProgress', 'REJECT', 'rejected'],
  ['rectifying.inProgress', 'CLOSE', 'rejected'],
  ['rectifying.inProgress', 'CANCEL', 'cancelled'],
  ['rectifying.inProgress', 'REOPEN', 'rejected'],
  ['rectifying.inProgress', 'REQUEST_EXTENSION', 'rectifying.inProgress'],
  ['rectifying.inProgress', 'APPROVE_EXTENSION', 'rejected'],
  ['rectifying.inProgress', 'REJECT_EXTENSION', 'rejected'],
  ['rectifying.inProgress', 'REQUEST_SUSPENSION', 'rectifying.inProgress'],
  ['rectifying.inProgress', 'APPROVE_SUSPENSION', 'rejected'],
  ['rectifying.inProgress', 'REJECT_SUSPENSION', 'rejected'],
  ['rectifying.inProgress', 'RESUME', 'rejected'],
  ['rectifying.inProgress', 'RECOUNT_DEADLINE', 'rectifying.inProgress'],

  ['rectifying.awaitingVerification', 'ASSIGN', 'rejected'],
  ['rectifying.awaitingVerification', 'REASSIGN', 'assigned'],
  ['rectifying.awaitingVerification', 'START', 'rejected'],
  ['rectifying.awaitingVerification', 'REPORT_PROGRESS', 'rejected'],
  ['rectifying.awaitingVerification', 'SUBMIT', 'rejected'],
  ['rectifying.awaitingVerification', 'APPROVE', 'verified'],
  ['rectifying.awaitingVerification', 'REJECT', 'rectifying.inProgress'],
  ['rectifying.awaitingVerification', 'CLOSE', 'rejected'],
  ['rectifying.awaitingVerification', 'CANCEL', 'cancelled'],
  ['rectifying.awaitingVerification', 'REOPEN', 'rejected'],
  ['rectifying.awaitingVerification', 'REQUEST_EXTENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'APPROVE_EXTENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'REJECT_EXTENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'REQUEST_SUSPENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'APPROVE_SUSPENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'REJECT_SUSPENSION', 'rejected'],
  ['rectifying.awaitingVerification', 'RESUME', 'rejected'],
  ['rectifying.awaitingVerification', 'RECOUNT_DEADLINE', 'rejected'],

  ['verified', 'ASSIGN', 'rejected'],
  ['verified', 'REASSIGN', 'rejected'],
  ['verified', 'START', 'rejected'],
  ['verified', 'REPORT_PROGRESS', 'rejected'],
  ['verified', 'SUBMIT', 'rejected'],
  ['verified', 'APPROVE', 'rejected'],
  ['verified', 'REJECT', 'rejected'],
  ['verified', 'CLOSE', 'closed'],
  ['verified', 'CANCEL', 'rejected'],
  ['verified', 'REOPEN', 'rejected'],
  ['verified', 'REQUEST_EXTENSION', 'rejected'],
  ['verified', 'APPROVE_EXTENSION', 'rejected'],
  ['verified', 'REJECT_EXTENSION', 'rejected'],
  ['verified', 'REQUEST_SUSPENSION', 'rejected'],
  ['verified', 'APPROVE_SUSPENSION', 'rejected'],
  ['verified', 'REJECT_SUSPENSION', 'rejected'],
  ['verified', 'RESUME', 'rejected'],
  ['verified', 'RECOUNT_DEADLINE', 'rejected'],

  ['closed', 'ASSIGN', 'rejected'],
  ['closed', 'REASSIGN', 'rejected'],
  ['closed', 'START', 'rejected'],
  ['closed', 'REPORT_PROGRESS', 'rejected'],
  ['closed', 'SUBMIT', 'rejected'],
  ['closed', 'APPROVE', 'rejected'],
  ['closed', 'REJECT', 'rejected'],
  ['closed', 'CLOSE', 'rejected'],
  ['closed', 'CANCEL', 'rejected'],
  ['closed', 'REOPEN', 'rectifying.inProgress'],
  ['closed', 'REQUEST_EXTENSION', 'rejected'],
  ['closed', 'APPROVE_EXTENSION', 'rejected'],
  ['closed', 'REJECT_EXTENSION', 'rejected'],
  ['closed', 'REQUEST_SUSPENSION', 'rejected'],
  ['closed', 'APPROVE_SUSPENSION', 'rejected'],
  ['closed', 'REJECT_SUSPENSION', 'rejected'],
  ['closed', 'RESUME', 'rejected'],
  ['closed', 'RECOUNT_DEADLINE', 'rejected'],

  ['cancelled', 'ASSIGN', 'rejected'],
  ['cancelled', 'REASSIGN', 'rejected'],
  ['cancelled', 'START', 'rejected'],
  ['cancelled', 'REPORT_PROGRESS', 'rejected'],
  ['cancelled', 'SUBMIT', 'rejected'],
  ['cancelled', 'APPROVE', 'rejected'],
  ['cancelled', 'REJECT', 'rejected'],
  ['cancelled', 'CLOSE', 'rejected'],
  ['cancelled', 'CANCEL', 'rejected'],
  ['cancelled', 'REOPEN', 'rejected'],
  ['cancelled', 'REQUEST_EXTENSION', 'rejected'],
  ['cancelled', 'APPROVE_EXTENSION', 'rejected'],
  ['cancelled', 'REJECT_EXTENSION', 'rejected'],
  ['cancelled', 'REQUEST_SUSPENSION', 'rejected'],
  ['cancelled', 'APPROVE_SUSPENSION', 'rejected'],
  ['cancelled', 'REJECT_SUSPENSION', 'rejected'],
  ['cancelled', 'RESUME', 'rejected'],
  ['cancelled', 'RECOUNT_DEADLINE', 'rejected'],
];

describe(rectificationMachine.id, () => {
  describe('fixtures', () => {
    it.each(STATES)('drives a fresh problem into %s', (state) => {
      expect(stateDetail(inState(state).value)).toBe(state);
    });
  });

  describe('transition table', () => {
    it('lists every state × event combination exactly once', () => {
      // given the table above
      const keys = TRANSITIONS.map(([state, type]) => `${state} ${type}`);

      // then it is complete and has no duplicates
      expect(TRANSITIONS).toHaveLength(STATES.length * RECTIFICATION_EVENT_TYPES.length);
      expect(new Set(keys).size).toBe(7 * 18);
      for (const state of STATES) {
        for (const type of RECTIFICATION_EVENT_TYPES) expect(keys).toContain(`${state} ${type}`);
      }
    });

    it.each(TRANSITIONS)('%s + %s -> %s', (state, type, expected) => {
      // given
      const snapshot = inState(state);
      const before = JSON.parse(JSON.stringify(snapshot)) as StoredSnapshot;

      // when
      const next = applyEvent(snapshot, event(type));

      // then
      if (expected === 'rejected') {
        expect(next).toBeNull();
      } else {
        expect(next).not.toBeNull();
        expect(stateDetail(next!.value)).toBe(expected);
      }
      // applyEvent is pure: the input snapshot is never changed
      expect(snapshot).toEqual(before);
    });
  });

  describe(acceptedEvents.name, () => {
    it.each(STATES)('in %s lists exactly the events the table accepts', (state) => {
      const expected = TRANSITIONS.filter(([s, , to]) => s === state && to !== 'rejected').map(([, type]) => type);

      expect(acceptedEvents(inState(state))).toEqual(expected);
    });

    it('accepts nothing once cancelled (a final state)', () => {
      expect(acceptedEvents(inState('cancelled'))).toEqual([]);
    });
  });

  describe('context effects', () => {
    it('starts with the filing facts and empty rectification data', () => {
      const snapshot = startRectification({ ...INPUT, deadline: '2026-05-01T00:00:00.000Z' });

      expect(snapshot.value).toEqual({ rectification: 'found', deadline: 'notSet' });
      expect(snapshot.context).toEqual({
        problemId: 'p-1',
        severity: 'major',
        filedBy: 'inspector-1',
        filedAt: FILED_AT,
        departmentId: null,
        responsiblePerson: null,
        deadline: '2026-05-01T00:00:00.000Z',
        deadlineBasis: { kind: 'explicit', setAt: FILED_AT },
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
        originalDeadline: '2026-05-01T00:00:00.000Z',
        extensionCount: 0,
        extensions: [],
        pendingRequest: null,
        suspensions: [],
      });
    });

    it('ASSIGN records department, responsible person and deadline', () => {
      const next = applyEvent(
        inState('found'),
        event('ASSIGN', { departmentId: 'dept-x', responsiblePerson: 'Zhao', deadline: '2026-06-01T00:00:00.000Z' }),
      )!;

      expect(next.context).toMatchObject({
        departmentId: 'dept-x',
        responsiblePerson: 'Zhao',
        deadline: '2026-06-01T00:00:00.000Z',
      });
    });

    it('ASSIGN keeps the filing deadline when none is given', () => {
      // given a problem filed with a deadline
      const filed = startRectification({ ...INPUT, deadline: '2026-05-01T00:00:00.000Z' });

      // when it is assigned without one
      const next = applyEvent(filed, event('ASSIGN', { deadline: undefined, responsiblePerson: undefined }))!;

      // then the filing deadline stands and the responsible person is explicitly unknown
      expect(next.context.deadline).toBe('2026-05-01T00:00:00.000Z');
      expect(next.context.responsiblePerson).toBeNull();
    });

    it('ASSIGN with a deadline replaces the filing deadline', () => {
      const filed = startRectification({ ...INPUT, deadline: '2026-05-01T00:00:00.000Z' });

      const next = applyEvent(filed, event('ASSIGN', { deadline: '2026-07-01T00:00:00.000Z' }))!;

      expect(next.context.deadline).toBe('2026-07-01T00:00:00.000Z');
    });

    it('START records the plan and its responsible person', () => {
      const next = applyEvent(
        inState('assigned'),
        event('START', { measures: 'fence the pit', responsiblePerson: 'Sun', plannedCompletionDate: '2026-03-30' }),
      )!;

      expect(next.context.plan).toEqual({
        measures: 'fence the pit',
        responsiblePerson: 'Sun',
        plannedCompletionDate: '2026-03-30',
      });
      expect(next.context.responsiblePerson).toBe('Sun');
    });

    it('REPORT_PROGRESS keeps the state and records the latest progress', () => {
      // given
      const rectifying = inState('rectifying.inProgress');
      const first = applyEvent(rectifying, event('REPORT_PROGRESS', { note: 'ordered parts', percent: 10 }))!;
      const report = event('REPORT_PROGRESS', { note: 'installed', percent: undefined });

      // when
      const second = applyEvent(first, report)!;

      // then
      expect(second.value).toEqual(rectifying.value);
      expect(second.context.latestProgress).toEqual({ note: 'installed', percent: null, at: report.at });
      expect(first.context.latestProgress).toMatchObject({ note: 'ordered parts', percent: 10 });
    });

    it('SUBMIT records the submission', () => {
      const submit = event('SUBMIT', { summary: 'all fixed' });

      const next = applyEvent(inState('rectifying.inProgress'), submit)!;

      expect(next.context.submission).toEqual({ summary: 'all fixed', at: submit.at });
    });

    it('REJECT counts a rework round and clears the submission', () => {
      // given a problem awaiting verification for the first time
      const awaiting = inState('rectifying.awaitingVerification');
      expect(awaiting.context.reworkCount).toBe(0);

      // when verification sends it back, twice
      const once = applyEvent(awaiting, event('REJECT'))!;
      const again = applyEvent(applyEvent(once, event('SUBMIT'))!, event('REJECT'))!;

      // then
      expect(once.context.reworkCount).toBe(1);
      expect(once.context.submission).toBeNull();
      expect(again.context.reworkCount).toBe(2);
      expect(stateDetail(again.value)).toBe('rectifying.inProgress');
    });

    it('REASSIGN sets the new department and clears plan, progress and submission', () => {
      // given a problem with a plan, progress and a submission
      const withWork = drive(['ASSIGN', 'START', 'REPORT_PROGRESS', 'SUBMIT']);
      expect(withWork.context.plan).not.toBeNull();
      expect(withWork.context.latestProgress).not.toBeNull();
      expect(withWork.context.submission).not.toBeNull();

      // when
      const next = applyEvent(withWork, event('REASSIGN', { departmentId: 'dept-z' }))!;

      // then the new department has it, and the paused clock runs again
      expect(next.value).toEqual({ rectification: 'assigned', deadline: 'onTrack' });
      expect(next.context).toMatchObject({
        departmentId: 'dept-z',
        responsiblePerson: null,
        plan: null,
        latestProgress: null,
        submission: null,
      });
      // the deadline belongs to the problem, not the department
      expect(next.context.deadline).toBe(withWork.context.deadline);
    });

    it('CLOSE sets closedAt to the time of the event', () => {
      const close = event('CLOSE');

      const next = applyEvent(inState('verified'), close)!;

      expect(next.context.closedAt).toBe(close.at);
    });

    it('REOPEN counts the reopening, clears closedAt and resumes rectifying.inProgress', () => {
      // given
      const closed = inState('closed');
      expect(closed.context.closedAt).not.toBeNull();

      // when
      const reopened = applyEvent(closed, event('REOPEN'))!;

      // then
      expect(stateDetail(reopened.value)).toBe('rectifying.inProgress');
      expect(reopened.context.reopenCount).toBe(1);
      expect(reopened.context.closedAt).toBeNull();
      expect(reopened.context.submission).toBeNull();
      expect(reopened.context.departmentId).toBe(closed.context.departmentId);
    });

    it('CANCEL changes no context', () => {
      const assigned = inState('assigned');

      const next = applyEvent(assigned, event('CANCEL'))!;

      expect(next.value).toEqual({ rectification: 'cancelled', deadline: 'cancelled' });
      expect(next.context).toEqual(assigned.context);
    });
  });
});
