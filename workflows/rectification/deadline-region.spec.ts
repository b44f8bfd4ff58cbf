import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SEVERITIES } from '#domain';
import {
  FILE_EVENT,
  RECTIFICATION_EVENT_TYPES,
  type HumanEvent,
  type RectificationEvent,
  type RectificationEventType,
  type RectificationInput,
  type TimerEvent,
} from './rectification.events.js';
import {
  acceptedEvents,
  applyEvent,
  DEADLINE_STATES,
  type DeadlineState,
  deadlineState,
  startRectification,
  stateDetail,
  type StoredSnapshot,
} from './rectification.workflow.js';
import { replayHistory, type ReplayableEntry } from './replay.js';

const FILED_AT = '2026-03-02T01:00:00.000Z';
const DEADLINE = '2026-04-01T00:00:00.000Z';
const INPUT: RectificationInput = { problemId: 'p-1', severity: 'major', filedBy: 'inspector-1', filedAt: FILED_AT };

let clockMs = Date.parse(FILED_AT);
function nextAt(): string {
  clockMs += 60_000;
  return new Date(clockMs).toISOString();
}

/** A stamped human event of the given type with a valid payload; `overrides` replace payload fields. */
function event(type: RectificationEventType, overrides: Record<string, unknown> = {}): HumanEvent {
  const stamp = { at: nextAt(), actorId: 'actor-1' };
  const payloads: Record<RectificationEventType, Record<string, unknown>> = {
    ASSIGN: { departmentId: 'dept-a', responsiblePerson: 'Wang', deadline: DEADLINE },
    REASSIGN: { departmentId: 'dept-b', reason: 'wrong department' },
    START: { measures: 'replace the railing', responsiblePerson: 'Li', plannedCompletionDate: '2026-03-20' },
    REPORT_PROGRESS: { note: 'half done', percent: 50 },
    SUBMIT: { summary: 'railing replaced' },
    APPROVE: { comment: 'checked on site' },
    REJECT: { reason: 'bolts missing' },
    CLOSE: { comment: 'closed out' },
    CANCEL: { reason: 'duplicate finding' },
    REOPEN: { reason: 'railing loose again', deadline: '2026-06-01T00:00:00.000Z' },
    REQUEST_EXTENSION: { reason: 'the railing is on back-order', proposedDeadline: '2026-05-01T00:00:00.000Z' },
    APPROVE_EXTENSION: { comment: 'agreed', deadline: '2026-05-01T00:00:00.000Z' },
    REJECT_EXTENSION: { reason: 'not justified' },
    REQUEST_SUSPENSION: { reason: 'waiting for the landlord' },
    APPROVE_SUSPENSION: { comment: 'agreed' },
    REJECT_SUSPENSION: { reason: 'work can go on meanwhile' },
    RESUME: { comment: 'landlord answered', suspendedWorkingDays: 2, deadline: '2026-04-03T00:00:00.000Z' },
    RECOUNT_DEADLINE: { reason: 'closure added to the calendar', deadline: '2026-04-02T00:00:00.000Z' },
  };
  return { type, ...stamp, ...payloads[type], ...overrides } as HumanEvent;
}

/**
 * The timer events the scheduler may fire, as the table's columns. ESCALATE comes in three flavours relative to
 * the level already reached: the next one, one that skips a level, and the current one again.
 */
const TIMER_KINDS = [
  'DEADLINE_REMINDER',
  'DEADLINE_PASSED',
  'ESCALATE_NEXT',
  'ESCALATE_SKIP',
  'ESCALATE_REPEAT',
  'VERIFICATION_OVERDUE',
] as const;
type TimerKind = (typeof TIMER_KINDS)[number];

/** A stamped timer event (actor `system`) of the given kind, shaped as the scheduler fires it for `snapshot`. */
function timer(kind: TimerKind, snapshot: StoredSnapshot, overrides: Record<string, unknown> = {}): TimerEvent {
  const at = nextAt();
  const stamp = { at, actorId: 'system' };
  const level = snapshot.context.escalationLevel;
  const base = ((): TimerEvent => {
    switch (kind) {
      case 'DEADLINE_REMINDER':
        return { type: 'DEADLINE_REMINDER', ...stamp, scheduledFor: at, workingDaysBefore: 3 };
      case 'DEADLINE_PASSED':
        return { type: 'DEADLINE_PASSED', ...stamp, scheduledFor: snapshot.context.deadline ?? at };
      case 'ESCALATE_NEXT':
        return { type: 'ESCALATE', ...stamp, scheduledFor: at, level: level + 1 };
      case 'ESCALATE_SKIP':
        return { type: 'ESCALATE', ...stamp, scheduledFor: at, level: level + 2 };
      case 'ESCALATE_REPEAT':
        return { type: 'ESCALATE', ...stamp, scheduledFor: at, level };
      case 'VERIFICATION_OVERDUE':
        return { type: 'VERIFICATION_OVERDUE', ...stamp, scheduledFor: at };
    }
  })();
  return { ...base, ...overrides } as TimerEvent;
}

/** Every timer event shape worth trying on a snapshot: each kind, plus ESCALATE at levels 0 to 4. */
function everyTimerEvent(snapshot: StoredSnapshot): TimerEvent[] {
  const escalations = [0, 1, 2, 3, 4].map((level) => timer('ESCALATE_NEXT', snapshot, { level }));
  return [...TIMER_KINDS.map((kind) => timer(kind, snapshot)), ...escalations];
}

/** A step of a fixture path: a human event type, or a timer event kind. */
type Step = RectificationEventType | TimerKind;

function isTimerKind(step: Step): step is TimerKind {
  return (TIMER_KINDS as readonly string[]).includes(step);
}

function applyStep(snapshot: StoredSnapshot, step: Step): StoredSnapshot | null {
  return applyEvent(snapshot, isTimerKind(step) ? timer(step, snapshot) : event(step));
}

/** Drives a fresh problem through the given steps, failing loudly if any is not accepted. */
function drive(steps: readonly Step[], input: RectificationInput = INPUT): StoredSnapshot {
  let snapshot = startRectification(input);
  for (const step of steps) {
    const next = applyStep(snapshot, step);
    if (!next) {
      throw new Error(`${step} was not accepted in ${stateDetail(snapshot.value)}/${deadlineState(snapshot.value)} while building a fixture`);
    }
    snapshot = next;
  }
  return snapshot;
}

// A realistic way into each deadline state: people assign, start and submit; the scheduler reminds, declares
// the deadline passed and escalates.
const DEADLINE_PATHS: Record<DeadlineState, readonly Step[]> = {
  notSet: [],
  onTrack: ['ASSIGN', 'START'],
  dueSoon: ['ASSIGN', 'START', 'DEADLINE_REMINDER'],
  overdue: ['ASSIGN', 'START', 'DEADLINE_REMINDER', 'DEADLINE_PASSED'],
  escalated: ['ASSIGN', 'START', 'DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE_NEXT'],
  verifying: ['ASSIGN', 'START', 'SUBMIT'],
  verificationOverdue: ['ASSIGN', 'START', 'SUBMIT', 'VERIFICATION_OVERDUE'],
  suspended: ['ASSIGN', 'START', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION'],
  stopped: ['ASSIGN', 'START', 'SUBMIT', 'APPROVE'],
  cancelled: ['ASSIGN', 'START', 'CANCEL'],
};

function inDeadlineState(state: DeadlineState): StoredSnapshot {
  return drive(DEADLINE_PATHS[state]);
}

type Expected = DeadlineState | 'rejected';

// Every deadline state × every timer event, written out so the table reads as the specification of the clock.
const TIMER_TRANSITIONS: ReadonlyArray<readonly [DeadlineState, TimerKind, Expected]> = [
  ['notSet', 'DEADLINE_REMINDER', 'rejected'],
  ['notSet', 'DEADLINE_PASSED', 'rejected'],
  ['notSet', 'ESCALATE_NEXT', 'rejected'],
  ['notSet', 'ESCALATE_SKIP', 'rejected'],
  ['notSet', 'ESCALATE_REPEAT', 'rejected'],
  ['notSet', 'VERIFICATION_OVERDUE', 'rejected'],

  ['onTrack', 'DEADLINE_REMINDER', 'dueSoon'],
  ['onTrack', 'DEADLINE_PASSED', 'overdue'],
  ['onTrack', 'ESCALATE_NEXT', 'rejected'],
  ['onTrack', 'ESCALATE_SKIP', 'rejected'],
  ['onTrack', 'ESCALATE_REPEAT', 'rejected'],
  ['onTrack', 'VERIFICATION_OVERDUE', 'rejected'],

  ['dueSoon', 'DEADLINE_REMINDER', 'dueSoon'],
  ['dueSoon', 'DEADLINE_PASSED', 'overdue'],
  ['dueSoon', 'ESCALATE_NEXT', 'rejected'],
  ['dueSoon', 'ESCALATE_SKIP', 'rejected'],
  ['dueSoon', 'ESCALATE_REPEAT', 'rejected'],
  ['dueSoon', 'VERIFICATION_OVERDUE', 'rejected'],

  ['overdue', 'DEADLINE_REMINDER', 'rejected'],
  ['overdue', 'DEADLINE_PASSED', 'rejected'],
  ['overdue', 'ESCALATE_NEXT', 'escalated'],
  ['overdue', 'ESCALATE_SKIP', 'rejected'],
  ['overdue', 'ESCALATE_REPEAT', 'rejected'],
  ['overdue', 'VERIFICATION_OVERDUE', 'rejected'],

  ['escalated', 'DEADLINE_REMINDER', 'rejected'],
  ['escalated', 'DEADLINE_PASSED', 'rejected'],
  ['escalated', 'ESCALATE_NEXT', 'escalated'],
  ['escalated', 'ESCALATE_SKIP', 'rejected'],
  ['escalated', 'ESCALATE_REPEAT', 'rejected'],
  ['escalated', 'VERIFICATION_OVERDUE', 'rejected'],

  // Submitted: the rectification clock is paused, only the verification deadline runs.
  ['verifying', 'DEADLINE_REMINDER', 'rejected'],
  ['verifying', 'DEADLINE_PASSED', 'rejected'],
  ['verifying', 'ESCALATE_NEXT', 'rejected'],
  ['verifying', 'ESCALATE_SKIP', 'rejected'],
  ['verifying', 'ESCALATE_REPEAT', 'rejected'],
  ['verifying', 'VERIFICATION_OVERDUE', 'verificationOverdue'],

  ['verificationOverdue', 'DEADLINE_REMINDER', 'rejected'],
  ['verificationOverdue', 'DEADLINE_PASSED', 'rejected'],
  ['verificationOverdue', 'ESCALATE_NEXT', 'rejected'],
  ['verificationOverdue', 'ESCALATE_SKIP', 'rejected'],
  ['verificationOverdue', 'ESCALATE_REPEAT', 'rejected'],
  ['verificationOverdue', 'VERIFICATION_OVERDUE', 'rejected'],

  // Suspended by approval: nothing fires until RESUME.
  ['suspended', 'DEADLINE_REMINDER', 'rejected'],
  ['suspended', 'DEADLINE_PASSED', 'rejected'],
  ['suspended', 'ESCALATE_NEXT', 'rejected'],
  ['suspended', 'ESCALATE_SKIP', 'rejected'],
  ['suspended', 'ESCALATE_REPEAT', 'rejected'],
  ['suspended', 'VERIFICATION_OVERDUE', 'rejected'],

  ['stopped', 'DEADLINE_REMINDER', 'rejected'],
  ['stopped', 'DEADLINE_PASSED', 'rejected'],
  ['stopped', 'ESCALATE_NEXT', 'rejected'],
  ['stopped', 'ESCALATE_SKIP', 'rejected'],
  ['stopped', 'ESCALATE_REPEAT', 'rejected'],
  ['stopped', 'VERIFICATION_OVERDUE', 'rejected'],

  ['cancelled', 'DEADLINE_REMINDER', 'rejected'],
  ['cancelled', 'DEADLINE_PASSED', 'rejected'],
  ['cancelled', 'ESCALATE_NEXT', 'rejected'],
  ['cancelled', 'ESCALATE_SKIP', 'rejected'],
  ['cancelled', 'ESCALATE_REPEAT', 'rejected'],
  ['cancelled', 'VERIFICATION_OVERDUE', 'rejected'],
];

/**
 * Reachable combinations of the two regions, `rectification leaf/deadline state`, each with a realistic path.
 * The timer events can only move the clock, so the work can be anywhere in assigned or in progress when the
 * deadline approaches or passes.
 */
const COMBINATIONS: Record<string, readonly Step[]> = {
  'found/notSet': [],
  'assigned/onTrack': ['ASSIGN'],
  'assigned/dueSoon': ['ASSIGN', 'DEADLINE_REMINDER'],
  'assigned/overdue': ['ASSIGN', 'DEADLINE_PASSED'],
  'assigned/escalated': ['ASSIGN', 'DEADLINE_PASSED', 'ESCALATE_NEXT'],
  'rectifying.inProgress/onTrack': ['ASSIGN', 'START'],
  'rectifying.inProgress/dueSoon': ['ASSIGN', 'START', 'DEADLINE_REMINDER'],
  'rectifying.inProgress/overdue': ['ASSIGN', 'START', 'DEADLINE_PASSED'],
  'rectifying.inProgress/escalated': ['ASSIGN', 'START', 'DEADLINE_PASSED', 'ESCALATE_NEXT', 'ESCALATE_NEXT'],
  'assigned/suspended': ['ASSIGN', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION'],
  'rectifying.inProgress/suspended': ['ASSIGN', 'START', 'DEADLINE_PASSED', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION'],
  'rectifying.awaitingVerification/verifying': ['ASSIGN', 'START', 'DEADLINE_PASSED', 'SUBMIT'],
  'rectifying.awaitingVerification/verificationOverdue': ['ASSIGN', 'START', 'SUBMIT', 'VERIFICATION_OVERDUE'],
  'verified/stopped': ['ASSIGN', 'START', 'DEADLINE_REMINDER', 'SUBMIT', 'APPROVE'],
  'closed/stopped': ['ASSIGN', 'START', 'DEADLINE_PASSED', 'ESCALATE_NEXT', 'SUBMIT', 'APPROVE', 'CLOSE'],
  'cancelled/cancelled': ['ASSIGN', 'DEADLINE_PASSED', 'ESCALATE_NEXT', 'CANCEL'],
};
const COMBINATION_KEYS = Object.keys(COMBINATIONS);

// What the rectification region alone accepts, per leaf (in RECTIFICATION_EVENT_TYPES order): the deadline region
// adds only the extension and suspension requests and decisions (see `expectedHumanEvents`).
const HUMAN_EVENTS_BY_WORK_STATE: Record<string, readonly RectificationEventType[]> = {
  found: ['ASSIGN', 'CANCEL'],
  assigned: ['REASSIGN', 'START', 'CANCEL'],
  'rectifying.inProgress': ['REASSIGN', 'REPORT_PROGRESS', 'SUBMIT', 'CANCEL'],
  'rectifying.awaitingVerification': ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
  verified: ['CLOSE'],
  closed: ['REOPEN'],
  cancelled: [],
};

/** The deadline states each rectification leaf can be paired with. */
const DEADLINE_STATES_BY_WORK_STATE: Record<string, readonly DeadlineState[]> = {
  found: ['notSet'],
  assigned: ['onTrack', 'dueSoon', 'overdue', 'escalated', 'suspended'],
  'rectifying.inProgress': ['onTrack', 'dueSoon', 'overdue', 'escalated', 'suspended'],
  'rectifying.awaitingVerification': ['verifying', 'verificationOverdue'],
  verified: ['stopped'],
  closed: ['stopped'],
  cancelled: ['cancelled'],
};

const RUNNING_CLOCK: readonly DeadlineState[] = ['onTrack', 'dueSoon', 'overdue', 'escalated'];

/**
 * What people may send, by both regions: the work state's events (a suspended clock holds back SUBMIT and
 * REASSIGN until RESUME), plus on a running clock one request at a time, the decision on a pending one and a
 * recount of the deadline, and RESUME on a suspended clock. In RECTIFICATION_EVENT_TYPES order.
 */
function expectedHumanEvents(snapshot: StoredSnapshot): RectificationEventType[] {
  const clockState = deadlineState(snapshot.value);
  const pending = snapshot.context.pendingRequest;
  const events = new Set<RectificationEventType>(HUMAN_EVENTS_BY_WORK_STATE[stateDetail(snapshot.value)]);
  if (clockState === 'suspended') {
    events.delete('SUBMIT');
    events.delete('REASSIGN');
    events.add('RESUME');
  }
  if (RUNNING_CLOCK.includes(clockState)) {
    events.add('RECOUNT_DEADLINE');
    if (pending === null) ['REQUEST_EXTENSION', 'REQUEST_SUSPENSION'].forEach((type) => events.add(type as RectificationEventType));
    if (pending?.kind === 'extension') ['APPROVE_EXTENSION', 'REJECT_EXTENSION'].forEach((type) => events.add(type as RectificationEventType));
    if (pending?.kind === 'suspension') ['APPROVE_SUSPENSION', 'REJECT_SUSPENSION'].forEach((type) => events.add(type as RectificationEventType));
  }
  return RECTIFICATION_EVENT_TYPES.filter((type) => events.has(type));
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('rectification deadline region', () => {
  describe('fixtures', () => {
    it.each(DEADLINE_STATES.map((state) => [state] as const))('drives a fresh problem into deadline state %s', (state) => {
      expect(deadlineState(inDeadlineState(state).value)).toBe(state);
    });

    it.each(COMBINATION_KEYS)('drives a fresh problem into %s', (key) => {
      const snapshot = drive(COMBINATIONS[key]!);

      expect(`${stateDetail(snapshot.value)}/${deadlineState(snapshot.value)}`).toBe(key);
    });
  });

  describe('timer transition table', () => {
    it('lists every deadline state × timer event combination exactly once', () => {
      // given the table above
      const keys = TIMER_TRANSITIONS.map(([state, kind]) => `${state} ${kind}`);

      // then it is complete and has no duplicates
      expect(new Set(keys).size).toBe(DEADLINE_STATES.length * TIMER_KINDS.length);
      expect(keys).toHaveLength(DEADLINE_STATES.length * TIMER_KINDS.length);
      for (const state of DEADLINE_STATES) {
        for (const kind of TIMER_KINDS) expect(keys).toContain(`${state} ${kind}`);
      }
    });

    it.each(TIMER_TRANSITIONS)('%s + %s -> %s', (state, kind, expected) => {
      // given
      const snapshot = inDeadlineState(state);
      const before = clone(snapshot);

      // when
      const next = applyEvent(snapshot, timer(kind, snapshot));

      // then
      if (expected === 'rejected') {
        expect(next).toBeNull();
      } else {
        expect(next).not.toBeNull();
        expect(deadlineState(next!.value)).toBe(expected);
        // a timer event only moves the clock, never the work
        expect(stateDetail(next!.value)).toBe(stateDetail(snapshot.value));
      }
      // applyEvent is pure: the input snapshot is never changed
      expect(snapshot).toEqual(before);
    });
  });

  describe('timer bookkeeping', () => {
    it('DEADLINE_REMINDER counts every reminder sent for the deadline', () => {
      // given
      const onTrack = inDeadlineState('onTrack');

      // when two reminders fire (3 and 1 working days before)
      const once = applyEvent(onTrack, timer('DEADLINE_REMINDER', onTrack))!;
      const twice = applyEvent(once, timer('DEADLINE_REMINDER', once, { workingDaysBefore: 1 }))!;

      // then
      expect(onTrack.context.remindersSent).toBe(0);
      expect(once.context.remindersSent).toBe(1);
      expect(twice.context.remindersSent).toBe(2);
      expect(deadlineState(twice.value)).toBe('dueSoon');
    });

    it('VERIFICATION_OVERDUE records when verification was due', () => {
      // given
      const verifying = inDeadlineState('verifying');
      const fired = timer('VERIFICATION_OVERDUE', verifying, { scheduledFor: '2026-03-10T01:00:00.000Z' });

      // when
      const next = applyEvent(verifying, fired)!;

      // then
      expect(verifying.context.verificationOverdueSince).toBeNull();
      expect(next.context.verificationOverdueSince).toBe('2026-03-10T01:00:00.000Z');
    });
  });

  describe('clock semantics', () => {
    // "Submitting stops the rectification clock; rejection restarts it without forgiving elapsed time."
    const RESUMABLE: ReadonlyArray<readonly [DeadlineState]> = [['onTrack'], ['dueSoon'], ['overdue'], ['escalated']];

    it.each(RESUMABLE)('%s -> SUBMIT pauses the clock in verifying, and REJECT resumes it where it stood', (state) => {
      // given
      const running = inDeadlineState(state);

      // when
      const submitted = applyEvent(running, event('SUBMIT'))!;
      const rejected = applyEvent(submitted, event('REJECT'))!;

      // then
      expect(deadlineState(submitted.value)).toBe('verifying');
      expect(deadlineState(rejected.value)).toBe(state);
      expect(stateDetail(rejected.value)).toBe('rectifying.inProgress');
      // nothing the clock counted is forgiven
      expect(rejected.context).toMatchObject({
        remindersSent: running.context.remindersSent,
        overdueSince: running.context.overdueSince,
        escalationLevel: running.context.escalationLevel,
        verificationOverdueSince: null,
      });
    });

    it.each(RESUMABLE)('%s -> SUBMIT -> VERIFICATION_OVERDUE -> REJECT resumes where it stood and clears the verification lapse', (state) => {
      // given a submission verification did not get to in time
      const running = inDeadlineState(state);
      const submitted = applyEvent(running, event('SUBMIT'))!;
      const lapsed = applyEvent(submitted, timer('VERIFICATION_OVERDUE', submitted))!;
      expect(lapsed.context.verificationOverdueSince).not.toBeNull();

      // when
      const rejected = applyEvent(lapsed, event('REJECT'))!;

      // then
      expect(deadlineState(rejected.value)).toBe(state);
      expect(rejected.context.verificationOverdueSince).toBeNull();
      expect(rejected.context.escalationLevel).toBe(running.context.escalationLevel);
    });

    it.each(RESUMABLE)('%s -> SUBMIT -> REASSIGN hands the problem over with the clock running where it stood', (state) => {
      // given
      const submitted = applyEvent(inDeadlineState(state), event('SUBMIT'))!;

      // when
      const reassigned = applyEvent(submitted, event('REASSIGN'))!;

      // then
      expect(reassigned.value).toEqual({ rectification: 'assigned', deadline: state });
    });

    it('overdue -> SUBMIT -> REJECT is overdue again, not on track, and keeps when it became overdue', () => {
      // given
      const overdue = inDeadlineState('overdue');

      // when
      const submitted = applyEvent(overdue, event('SUBMIT'))!;
      const rejected = applyEvent(submitted, event('REJECT'))!;

      // then
      expect(deadlineState(rejected.value)).toBe('overdue');
      expect(rejected.context.overdueSince).toBe(DEADLINE);
      // and the ladder continues from level 1
      const escalated = applyEvent(rejected, timer('ESCALATE_NEXT', rejected))!;
      expect(escalated.context.escalationLevel).toBe(1);
    });

    it('escalated at level 2 -> SUBMIT -> REJECT is escalated at level 2, and only level 3 may follow', () => {
      // given a problem escalated to the supervising office
      const level2 = drive([...DEADLINE_PATHS.overdue, 'ESCALATE_NEXT', 'ESCALATE_NEXT']);
      expect(level2.context.escalationLevel).toBe(2);

      // when
      const rejected = applyEvent(applyEvent(level2, event('SUBMIT'))!, event('REJECT'))!;

      // then
      expect(deadlineState(rejected.value)).toBe('escalated');
      expect(rejected.context.escalationLevel).toBe(2);
      expect(applyEvent(rejected, timer('ESCALATE_NEXT', rejected, { level: 1 }))).toBeNull();
      expect(applyEvent(rejected, timer('ESCALATE_NEXT', rejected, { level: 2 }))).toBeNull();
      expect(applyEvent(rejected, timer('ESCALATE_NEXT', rejected, { level: 3 }))?.context.escalationLevel).toBe(3);
    });

    it('dueSoon -> SUBMIT -> REJECT is dueSoon, with the reminders already sent', () => {
      // given
      const dueSoon = inDeadlineState('dueSoon');

      // when
      const rejected = applyEvent(applyEvent(dueSoon, event('SUBMIT'))!, event('REJECT'))!;

      // then
      expect(deadlineState(rejected.value)).toBe('dueSoon');
      expect(rejected.context.remindersSent).toBe(1);
    });

    it('REASSIGN from rectifying.inProgress does not touch the clock: an escalated problem stays escalated', () => {
      // given
      const escalated = drive(COMBINATIONS['rectifying.inProgress/escalated']!);

      // when
      const reassigned = applyEvent(escalated, event('REASSIGN'))!;

      // then
      expect(reassigned.value).toEqual({ rectification: 'assigned', deadline: 'escalated' });
      expect(reassigned.context.escalationLevel).toBe(escalated.context.escalationLevel);
      expect(reassigned.context.overdueSince).toBe(escalated.context.overdueSince);
    });

    it.each([['verifying'], ['verificationOverdue']] as const)('APPROVE from %s stops the clock and clears the verification lapse', (state) => {
      // given
      const awaiting = inDeadlineState(state);

      // when
      const approved = applyEvent(awaiting, event('APPROVE'))!;

      // then
      expect(approved.value).toEqual({ rectification: 'verified', deadline: 'stopped' });
      expect(approved.context.verificationOverdueSince).toBeNull();
    });

    it('once approved, no timer event is accepted', () => {
      // given
      const approved = drive(COMBINATIONS['verified/stopped']!);

      // when / then
      for (const fired of everyTimerEvent(approved)) expect(applyEvent(approved, fired)).toBeNull();
    });

    it('CLOSE keeps the clock stopped, and no timer event is accepted once closed', () => {
      // given
      const approved = drive(COMBINATIONS['verified/stopped']!);

      // when
      const closed = applyEvent(approved, event('CLOSE'))!;

      // then
      expect(closed.value).toEqual({ rectification: 'closed', deadline: 'stopped' });
      for (const fired of everyTimerEvent(closed)) expect(applyEvent(closed, fired)).toBeNull();
    });

    it('REOPEN restarts the clock on track, with the new deadline and its bookkeeping reset', () => {
      // given a problem that climbed the whole ladder, missed its verification deadline, and was then closed
      const closed = drive([
        ...DEADLINE_PATHS.overdue,
        'ESCALATE_NEXT',
        'ESCALATE_NEXT',
        'ESCALATE_NEXT',
        'SUBMIT',
        'VERIFICATION_OVERDUE',
        'APPROVE',
        'CLOSE',
      ]);
      expect(closed.context).toMatchObject({ remindersSent: 1, overdueSince: DEADLINE, escalationLevel: 3 });
      const reopen = event('REOPEN', { deadline: '2026-07-15T00:00:00.000Z' });

      // when
      const reopened = applyEvent(closed, reopen)!;

      // then
      expect(reopened.value).toEqual({ rectification: { rectifying: 'inProgress' }, deadline: 'onTrack' });
      expect(reopened.context).toMatchObject({
        remindersSent: 0,
        overdueSince: null,
        escalationLevel: 0,
        verificationOverdueSince: null,
        deadline: '2026-07-15T00:00:00.000Z',
        deadlineBasis: { kind: 'explicit', setAt: reopen.at },
        reopenCount: 1,
      });
    });

    it('after REOPEN the new deadline runs its own course, from reminders to level 1 again', () => {
      // given
      const reopened = drive([...DEADLINE_PATHS.escalated, 'ESCALATE_NEXT', 'SUBMIT', 'APPROVE', 'CLOSE', 'REOPEN']);

      // when
      const reminded = applyEvent(reopened, timer('DEADLINE_REMINDER', reopened))!;
      const passed = applyEvent(reminded, timer('DEADLINE_PASSED', reminded))!;
      const escalated = applyEvent(passed, timer('ESCALATE_NEXT', passed))!;

      // then
      expect(deadlineState(reminded.value)).toBe('dueSoon');
      expect(passed.context.overdueSince).toBe('2026-06-01T00:00:00.000Z');
      expect(escalated.context.escalationLevel).toBe(1);
      expect(applyEvent(passed, timer('ESCALATE_NEXT', passed, { level: 3 }))).toBeNull();
    });

    const CANCELLABLE = COMBINATION_KEYS.filter((key) => !/^(verified|closed|cancelled)\//.test(key));

    it.each(CANCELLABLE)('CANCEL from %s cancels both regions, and nothing is accepted afterwards', (key) => {
      // given
      const running = drive(COMBINATIONS[key]!);

      // when
      const cancelled = applyEvent(running, event('CANCEL'))!;

      // then
      expect(cancelled.value).toEqual({ rectification: 'cancelled', deadline: 'cancelled' });
      expect(acceptedEvents(cancelled)).toEqual([]);
      for (const type of RECTIFICATION_EVENT_TYPES) expect(applyEvent(cancelled, event(type))).toBeNull();
      for (const fired of everyTimerEvent(cancelled)) expect(applyEvent(cancelled, fired)).toBeNull();
    });

    it('covers CANCEL from every deadline state the work can be cancelled in', () => {
      const covered = new Set(CANCELLABLE.map((key) => key.split('/')[1]));

      expect([...covered].sort()).toEqual(['dueSoon', 'escalated', 'notSet', 'onTrack', 'overdue', 'suspended', 'verificationOverdue', 'verifying']);
    });

    it.each([['verified/stopped'], ['closed/stopped']] as const)('CANCEL is rejected in %s: the clock stays stopped', (key) => {
      const stopped = drive(COMBINATIONS[key]!);

      expect(applyEvent(stopped, event('CANCEL'))).toBeNull();
    });
  });

  describe('escalation ladder', () => {
    it('climbs levels 1, 2, 3 only in order, each once, and escalationLevel follows', () => {
      // given an overdue problem
      let snapshot = inDeadlineState('overdue');

      for (const level of [1, 2, 3]) {
        // then every level but the next one is refused
        for (const other of [0, 1, 2, 3, 4, 5].filter((candidate) => candidate !== level)) {
          expect(applyEvent(snapshot, timer('ESCALATE_NEXT', snapshot, { level: other }))).toBeNull();
        }

        // when the next level fires
        const next = applyEvent(snapshot, timer('ESCALATE_NEXT', snapshot, { level }));

        // then
        expect(next).not.toBeNull();
        expect(deadlineState(next!.value)).toBe('escalated');
        expect(next!.context.escalationLevel).toBe(level);
        snapshot = next!;
      }

      // no level below or at the top can fire again
      for (const level of [0, 1, 2, 3]) expect(applyEvent(snapshot, timer('ESCALATE_NEXT', snapshot, { level }))).toBeNull();
    });

    it('overdueSince is the DEADLINE_PASSED scheduledFor, even when the timer fires late', () => {
      // given
      const dueSoon = inDeadlineState('dueSoon');
      const passed = timer('DEADLINE_PASSED', dueSoon, { scheduledFor: '2026-04-01T00:00:00.000Z', at: '2026-04-03T09:30:00.000Z' });

      // when
      const overdue = applyEvent(dueSoon, passed)!;

      // then
      expect(overdue.context.overdueSince).toBe('2026-04-01T00:00:00.000Z');
      // and escalation does not move it
      const escalated = applyEvent(overdue, timer('ESCALATE_NEXT', overdue, { scheduledFor: '2026-04-06T00:00:00.000Z' }))!;
      expect(escalated.context.overdueSince).toBe('2026-04-01T00:00:00.000Z');
    });

    it('cannot escalate before the deadline has passed', () => {
      for (const state of ['onTrack', 'dueSoon'] as const) {
        const running = inDeadlineState(state);

        expect(applyEvent(running, timer('ESCALATE_NEXT', running, { level: 1 }))).toBeNull();
      }
    });
  });

  describe('region independence', () => {
    // Combinations whose clock accepts some timer event (the others accept none: see the table and clock semantics).
    const CLOCK_RUNNING = COMBINATION_KEYS.filter((key) => /\/(onTrack|dueSoon|overdue|escalated|verifying)$/.test(key));

    it.each(CLOCK_RUNNING)('timer events never move the work in %s', (key) => {
      // given
      const snapshot = drive(COMBINATIONS[key]!);

      // when
      const accepted = everyTimerEvent(snapshot)
        .map((fired) => applyEvent(snapshot, fired))
        .filter((next): next is StoredSnapshot => next !== null);

      // then
      expect(accepted.length).toBeGreaterThan(0);
      for (const next of accepted) expect(stateDetail(next.value)).toBe(stateDetail(snapshot.value));
    });

    it('timer events leave the work data alone', () => {
      // given a problem in progress
      const inProgress = drive(['ASSIGN', 'START', 'REPORT_PROGRESS']);

      // when the whole ladder runs
      let escalated = inProgress;
      for (const kind of ['DEADLINE_REMINDER', 'DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE_NEXT', 'ESCALATE_NEXT', 'ESCALATE_NEXT'] as const) {
        escalated = applyEvent(escalated, timer(kind, escalated))!;
      }

      // then only the clock's bookkeeping differs
      const { remindersSent, overdueSince, escalationLevel, verificationOverdueSince, ...work } = escalated.context;
      const { remindersSent: r0, overdueSince: o0, escalationLevel: e0, verificationOverdueSince: v0, ...workBefore } = inProgress.context;
      expect(work).toEqual(workBefore);
      expect([remindersSent, overdueSince, escalationLevel, verificationOverdueSince]).toEqual([2, DEADLINE, 3, null]);
      expect([r0, o0, e0, v0]).toEqual([0, null, 0, null]);
    });

    it.each(COMBINATION_KEYS)('in %s, people may send what the work state accepts, and the clock requests only while it runs', (key) => {
      // given
      const snapshot = drive(COMBINATIONS[key]!);

      // then the deadline region adds only requests and recounts (running clock) and RESUME (suspended clock)
      expect(acceptedEvents(snapshot)).toEqual(expectedHumanEvents(snapshot));
    });

    it('SUBMIT is rejected in assigned, however late the problem is', () => {
      for (const key of ['assigned/onTrack', 'assigned/overdue', 'assigned/escalated']) {
        const assigned = drive(COMBINATIONS[key]!);

        expect(applyEvent(assigned, event('SUBMIT'))).toBeNull();
      }
    });

    it('REOPEN is rejected on a cancelled problem, whose clock is cancelled too', () => {
      const cancelled = drive(COMBINATIONS['cancelled/cancelled']!);

      expect(applyEvent(cancelled, event('REOPEN'))).toBeNull();
    });

    it('APPROVE and REJECT are rejected while the work is in progress, whatever the clock says', () => {
      for (const key of ['rectifying.inProgress/onTrack', 'rectifying.inProgress/overdue', 'rectifying.inProgress/escalated']) {
        const inProgress = drive(COMBINATIONS[key]!);

        expect(applyEvent(inProgress, event('APPROVE'))).toBeNull();
        expect(applyEvent(inProgress, event('REJECT'))).toBeNull();
      }
    });
  });

  describe('replay with timer events', () => {
    const MIN_MS = Date.parse('2020-01-01T00:00:00.000Z');
    const MAX_MS = Date.parse('2035-01-01T00:00:00.000Z');
    const DAY_MS = 86_400_000;

    const iso = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const departmentId = fc.constantFrom('dept-a', 'dept-b');

    type Unstamped = RectificationEvent extends infer E ? (E extends RectificationEvent ? Omit<E, 'at' | 'actorId'> : never) : never;

    const humanEvent: fc.Arbitrary<Unstamped> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record(
          { type: fc.constant('ASSIGN' as const), departmentId, responsiblePerson: text, deadline: iso },
          { requiredKeys: ['type', 'departmentId'] },
        ),
      },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('REASSIGN' as const), departmentId, reason: text }) },
      {
        weight: 6,
        arbitrary: fc.record({
          type: fc.constant('START' as const),
          measures: text,
          responsiblePerson: text,
          plannedCompletionDate: iso.map((s) => s.slice(0, 10)),
        }),
      },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('REPORT_PROGRESS' as const), note: text }) },
      { weight: 5, arbitrary: fc.record({ type: fc.constant('SUBMIT' as const), summary: text }) },
      { weight: 4, arbitrary: fc.record({ type: fc.constant('APPROVE' as const), comment: text }) },
      { weight: 4, arbitrary: fc.record({ type: fc.constant('REJECT' as const), reason: text }) },
      { weight: 5, arbitrary: fc.record({ type: fc.constant('CLOSE' as const), comment: text }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('CANCEL' as const), reason: text }) },
      {
        weight: 4,
        arbitrary: fc.record(
          { type: fc.constant('REOPEN' as const), reason: text, deadline: iso },
          { requiredKeys: ['type', 'reason'] },
        ),
      },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('REQUEST_EXTENSION' as const), reason: text, proposedDeadline: iso }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('APPROVE_EXTENSION' as const), comment: text, deadline: iso }, { requiredKeys: ['type'] }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('REJECT_EXTENSION' as const), reason: text }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('REQUEST_SUSPENSION' as const), reason: text }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('APPROVE_SUSPENSION' as const), comment: text }, { requiredKeys: ['type'] }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('REJECT_SUSPENSION' as const), reason: text }) },
      {
        weight: 2,
        arbitrary: fc.record(
          { type: fc.constant('RESUME' as const), comment: text, suspendedWorkingDays: fc.integer({ min: 0, max: 30 }), deadline: iso },
          { requiredKeys: ['type'] },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          {
            type: fc.constant('RECOUNT_DEADLINE' as const),
            reason: text,
            deadline: iso,
            deadlineBasis: fc.record({
              kind: fc.constant('policy' as const),
              policyId: fc.constant('default'),
              policyVersion: fc.constant(1),
              calendarId: fc.constant('cn-mainland'),
              calendarVersion: fc.integer({ min: 1, max: 9 }),
              from: iso,
              workingDays: fc.integer({ min: 1, max: 30 }),
              provisional: fc.boolean(),
            }),
          },
          { requiredKeys: ['type', 'reason'] },
        ),
      },
    );

    // Valid shapes, whether or not the state accepts them; levels around the ladder so that some are in order.
    const timerEvent: fc.Arbitrary<Unstamped> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          type: fc.constant('DEADLINE_REMINDER' as const),
          scheduledFor: iso,
          workingDaysBefore: fc.integer({ min: 1, max: 5 }),
        }),
      },
      { weight: 3, arbitrary: fc.record({ type: fc.constant('DEADLINE_PASSED' as const), scheduledFor: iso }) },
      {
        weight: 6,
        arbitrary: fc.record({ type: fc.constant('ESCALATE' as const), scheduledFor: iso, level: fc.integer({ min: 0, max: 4 }) }),
      },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('VERIFICATION_OVERDUE' as const), scheduledFor: iso }) },
    );

    const anyEvent = fc.oneof({ weight: 3, arbitrary: humanEvent }, { weight: 2, arbitrary: timerEvent });

    const step = fc.record({ event: anyEvent, gapMs: fc.integer({ min: 1, max: 3 * DAY_MS }) });

    const scenario = fc.record({
      problemId: fc.uuid(),
      severity: fc.constantFrom(...SEVERITIES),
      filedAtMs: fc.integer({ min: MIN_MS, max: MIN_MS + 365 * DAY_MS }),
      steps: fc.array(step, { maxLength: 80, size: 'max' }),
    });
    type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

    interface Run {
      final: StoredSnapshot;
      snapshots: StoredSnapshot[];
      entries: ReplayableEntry[];
    }

    const TIMER_TYPES: readonly string[] = ['DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE', 'VERIFICATION_OVERDUE'];

    /** Files a problem, then applies every step the state accepts, recording the history as the engine does. */
    function run({ problemId, severity, filedAtMs, steps }: Scenario): Run {
      const filedAt = new Date(filedAtMs).toISOString();
      let snapshot = startRectification({ problemId, severity, filedBy: 'inspector-1', filedAt });
      const entries: ReplayableEntry[] = [
        { problemId, eventType: FILE_EVENT, payload: { title: 'Loose railing', severity }, actorId: 'inspector-1', occurredAt: filedAt },
      ];
      const snapshots = [snapshot];
      let clock = filedAtMs;
      for (const { event: unstamped, gapMs } of steps) {
        clock += gapMs;
        const isTimer = TIMER_TYPES.includes(unstamped.type);
        const actorId = isTimer ? 'system' : 'actor-1';
        const fired = { ...unstamped, at: new Date(clock).toISOString(), actorId } as RectificationEvent;
        const next = applyEvent(snapshot, fired);
        if (!next) continue;
        if (isTimer) {
          // a timer event only moves the clock
          expect(stateDetail(next.value)).toBe(stateDetail(snapshot.value));
        }
        snapshot = next;
        snapshots.push(snapshot);
        entries.push({ problemId, eventType: fired.type, payload: fired as unknown as Record<string, unknown>, actorId, occurredAt: fired.at });
      }
      return { final: snapshot, snapshots, entries };
    }

    it('rebuilds the final snapshot from the accepted human and timer events alone', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          // given a problem driven through random human and timer events
          const { final, entries } = run(s);

          // when its history is replayed, as read back from the database (JSON)
          const replayed = replayHistory(clone(entries));

          // then
          expect(replayed).toEqual(final);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps the two regions consistent with each other and with the clock bookkeeping, for any sequence', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          for (const snapshot of run(s).snapshots) {
            const work = stateDetail(snapshot.value);
            const clockState = deadlineState(snapshot.value);
            const { context } = snapshot;

            expect(DEADLINE_STATES).toContain(clockState);
            expect(DEADLINE_STATES_BY_WORK_STATE[work]).toContain(clockState);
            expect(acceptedEvents(snapshot)).toEqual(expectedHumanEvents(snapshot));
            if (clockState === 'suspended') expect(context.suspensions.at(-1)?.to).toBeNull();
            else expect(context.suspensions.every((suspension) => suspension.to !== null)).toBe(true);
            if (!RUNNING_CLOCK.includes(clockState)) expect(context.pendingRequest).toBeNull();
            expect(context.extensionCount).toBe(context.extensions.length);
            if (clockState === 'onTrack') expect([context.remindersSent, context.overdueSince, context.escalationLevel]).toEqual([0, null, 0]);
            if (clockState === 'dueSoon') expect(context.remindersSent > 0 && context.overdueSince === null).toBe(true);
            if (clockState === 'overdue') expect(context.overdueSince !== null && context.escalationLevel === 0).toBe(true);
            if (clockState === 'escalated') expect(context.overdueSince !== null && context.escalationLevel > 0).toBe(true);
            if (clockState === 'verificationOverdue') expect(context.verificationOverdueSince).not.toBeNull();
            if (['onTrack', 'dueSoon', 'overdue', 'escalated', 'verifying', 'stopped'].includes(clockState)) {
              expect(context.verificationOverdueSince).toBeNull();
            }
          }
        }),
        { numRuns: 200 },
      );
    });

    it('the generator reaches every deadline state and the top of the ladder, so the properties above mean something', () => {
      const reached = new Set<string>();
      let topLevel = false;
      let resumedLate = false;
      for (const s of fc.sample(scenario, { numRuns: 300, seed: 42 })) {
        const { snapshots } = run(s);
        snapshots.forEach((snapshot, index) => {
          reached.add(deadlineState(snapshot.value));
          topLevel ||= snapshot.context.escalationLevel >= 3;
          const previous = snapshots[index - 1];
          resumedLate ||=
            previous !== undefined &&
            deadlineState(previous.value) === 'verifying' &&
            ['overdue', 'escalated'].includes(deadlineState(snapshot.value));
        });
      }

      expect([...reached].sort()).toEqual([...DEADLINE_STATES].sort());
      expect(topLevel).toBe(true);
      expect(resumedLate).toBe(true);
    });
  });
});
