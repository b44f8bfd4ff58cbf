import { describe, expect, it } from '@jest/globals';
import type { HumanEvent, RectificationEventType, RectificationInput, TimerEvent } from './rectification.events.js';
import { ruleViolation } from './rectification.rules.js';
import {
  acceptedEvents,
  applyEvent,
  type DeadlineState,
  deadlineState,
  startRectification,
  stateDetail,
  type StoredSnapshot,
} from './rectification.workflow.js';
import { replayHistory, type ReplayableEntry } from './replay.js';

const FILED_AT = '2026-03-02T01:00:00.000Z';
const DEADLINE = '2026-04-01T00:00:00.000Z';
const LATER = '2026-05-01T00:00:00.000Z';
const INPUT: RectificationInput = { problemId: 'p-1', severity: 'major', filedBy: 'inspector-1', filedAt: FILED_AT };

let clockMs = Date.parse(FILED_AT);
function nextAt(): string {
  clockMs += 60_000;
  return new Date(clockMs).toISOString();
}

const PAYLOADS: Record<RectificationEventType, Record<string, unknown>> = {
  ASSIGN: { departmentId: 'dept-a', deadline: DEADLINE },
  REASSIGN: { departmentId: 'dept-b', reason: 'wrong department' },
  START: { measures: 'replace the railing', responsiblePerson: 'Li', plannedCompletionDate: '2026-03-20' },
  REPORT_PROGRESS: { note: 'half done' },
  SUBMIT: { summary: 'railing replaced' },
  APPROVE: { comment: 'checked' },
  REJECT: { reason: 'bolts missing' },
  CLOSE: { comment: 'closed out' },
  CANCEL: { reason: 'duplicate' },
  REOPEN: { reason: 'loose again', deadline: '2026-06-01T00:00:00.000Z' },
  REQUEST_EXTENSION: { reason: 'parts on back-order', proposedDeadline: LATER },
  APPROVE_EXTENSION: { comment: 'agreed', deadline: LATER },
  REJECT_EXTENSION: { reason: 'not justified' },
  REQUEST_SUSPENSION: { reason: 'waiting for the landlord' },
  APPROVE_SUSPENSION: { comment: 'agreed' },
  REJECT_SUSPENSION: { reason: 'work can go on' },
  RESUME: { comment: 'landlord answered', suspendedWorkingDays: 3, deadline: '2026-04-06T10:00:00.000Z' },
  RECOUNT_DEADLINE: { reason: 'closure added to the calendar', deadline: '2026-04-02T10:00:00.000Z' },
};

function event(type: RectificationEventType, overrides: Record<string, unknown> = {}, actorId = 'actor-1'): HumanEvent {
  return { type, at: nextAt(), actorId, ...PAYLOADS[type], ...overrides } as HumanEvent;
}

function drive(types: readonly (RectificationEventType | TimerEvent['type'])[]): StoredSnapshot {
  let snapshot = startRectification(INPUT);
  for (const type of types) {
    const at = nextAt();
    const fired =
      type === 'DEADLINE_PASSED'
        ? ({ type, at, actorId: 'system', scheduledFor: snapshot.context.deadline } as TimerEvent)
        : type === 'ESCALATE'
          ? ({ type, at, actorId: 'system', scheduledFor: at, level: snapshot.context.escalationLevel + 1 } as TimerEvent)
          : type === 'DEADLINE_REMINDER'
            ? ({ type, at, actorId: 'system', scheduledFor: at, workingDaysBefore: 3 } as TimerEvent)
            : type === 'VERIFICATION_OVERDUE'
              ? ({ type, at, actorId: 'system', scheduledFor: at } as TimerEvent)
              : type === 'BEHIND_PLAN'
                ? ({ type, at, actorId: 'system', scheduledFor: at, light: 'yellow', plannedPercent: 50 } as TimerEvent)
                : event(type);
    const next = applyEvent(snapshot, fired);
    if (!next) throw new Error(`${type} not accepted in ${stateDetail(snapshot.value)}/${deadlineState(snapshot.value)}`);
    snapshot = next;
  }
  return snapshot;
}

/** Clock situations that matter for requests, each with a realistic path. */
const SITUATIONS = {
  'onTrack': ['ASSIGN', 'START'],
  'overdue': ['ASSIGN', 'START', 'DEADLINE_PASSED'],
  'escalated': ['ASSIGN', 'DEADLINE_PASSED', 'ESCALATE'],
  'extensionRequested': ['ASSIGN', 'START', 'REQUEST_EXTENSION'],
  'suspensionRequested': ['ASSIGN', 'START', 'REQUEST_SUSPENSION'],
  'suspended': ['ASSIGN', 'START', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION'],
  'verifying': ['ASSIGN', 'START', 'SUBMIT'],
  'stopped': ['ASSIGN', 'START', 'SUBMIT', 'APPROVE'],
} as const satisfies Record<string, readonly (RectificationEventType | TimerEvent['type'])[]>;
type Situation = keyof typeof SITUATIONS;

const NEW_EVENTS = [
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'REJECT_EXTENSION',
  'REQUEST_SUSPENSION',
  'APPROVE_SUSPENSION',
  'REJECT_SUSPENSION',
  'RESUME',
  'RECOUNT_DEADLINE',
] as const satisfies readonly RectificationEventType[];

type Expected = DeadlineState | 'rejected';

// Every clock situation × every extension/suspension/recount event: the deadline state it leads to, or rejected.
// A recount (to a deadline still ahead) restarts a running clock on track, like an approved extension.
// prettier-ignore
const TABLE: ReadonlyArray<readonly [Situation, (typeof NEW_EVENTS)[number], Expected]> = [
  ['onTrack', 'REQUEST_EXTENSION', 'onTrack'], ['onTrack', 'APPROVE_EXTENSION', 'rejected'], ['onTrack', 'REJECT_EXTENSION', 'rejected'],
  ['onTrack', 'REQUEST_SUSPENSION', 'onTrack'], ['onTrack', 'APPROVE_SUSPENSION', 'rejected'], ['onTrack', 'REJECT_SUSPENSION', 'rejected'],
  ['onTrack', 'RESUME', 'rejected'], ['onTrack', 'RECOUNT_DEADLINE', 'onTrack'],

  ['overdue', 'REQUEST_EXTENSION', 'overdue'], ['overdue', 'APPROVE_EXTENSION', 'rejected'], ['overdue', 'REJECT_EXTENSION', 'rejected'],
  ['overdue', 'REQUEST_SUSPENSION', 'overdue'], ['overdue', 'APPROVE_SUSPENSION', 'rejected'], ['overdue', 'REJECT_SUSPENSION', 'rejected'],
  ['overdue', 'RESUME', 'rejected'], ['overdue', 'RECOUNT_DEADLINE', 'onTrack'],

  ['escalated', 'REQUEST_EXTENSION', 'escalated'], ['escalated', 'APPROVE_EXTENSION', 'rejected'], ['escalated', 'REJECT_EXTENSION', 'rejected'],
  ['escalated', 'REQUEST_SUSPENSION', 'escalated'], ['escalated', 'APPROVE_SUSPENSION', 'rejected'], ['escalated', 'REJECT_SUSPENSION', 'rejected'],
  ['escalated', 'RESUME', 'rejected'], ['escalated', 'RECOUNT_DEADLINE', 'onTrack'],

  // one pending request at a time
  ['extensionRequested', 'REQUEST_EXTENSION', 'rejected'], ['extensionRequested', 'APPROVE_EXTENSION', 'onTrack'], ['extensionRequested', 'REJECT_EXTENSION', 'onTrack'],
  ['extensionRequested', 'REQUEST_SUSPENSION', 'rejected'], ['extensionRequested', 'APPROVE_SUSPENSION', 'rejected'], ['extensionRequested', 'REJECT_SUSPENSION', 'rejected'],
  ['extensionRequested', 'RESUME', 'rejected'], ['extensionRequested', 'RECOUNT_DEADLINE', 'onTrack'],

  ['suspensionRequested', 'REQUEST_EXTENSION', 'rejected'], ['suspensionRequested', 'APPROVE_EXTENSION', 'rejected'], ['suspensionRequested', 'REJECT_EXTENSION', 'rejected'],
  ['suspensionRequested', 'REQUEST_SUSPENSION', 'rejected'], ['suspensionRequested', 'APPROVE_SUSPENSION', 'suspended'], ['suspensionRequested', 'REJECT_SUSPENSION', 'onTrack'],
  ['suspensionRequested', 'RESUME', 'rejected'], ['suspensionRequested', 'RECOUNT_DEADLINE', 'onTrack'],

  // a suspended clock takes no request, only RESUME, back where it stood
  ['suspended', 'REQUEST_EXTENSION', 'rejected'], ['suspended', 'APPROVE_EXTENSION', 'rejected'], ['suspended', 'REJECT_EXTENSION', 'rejected'],
  ['suspended', 'REQUEST_SUSPENSION', 'rejected'], ['suspended', 'APPROVE_SUSPENSION', 'rejected'], ['suspended', 'REJECT_SUSPENSION', 'rejected'],
  ['suspended', 'RESUME', 'onTrack'], ['suspended', 'RECOUNT_DEADLINE', 'rejected'],

  // the clock is not running: the department no longer has the work in hand
  ['verifying', 'REQUEST_EXTENSION', 'rejected'], ['verifying', 'APPROVE_EXTENSION', 'rejected'], ['verifying', 'REJECT_EXTENSION', 'rejected'],
  ['verifying', 'REQUEST_SUSPENSION', 'rejected'], ['verifying', 'APPROVE_SUSPENSION', 'rejected'], ['verifying', 'REJECT_SUSPENSION', 'rejected'],
  ['verifying', 'RESUME', 'rejected'], ['verifying', 'RECOUNT_DEADLINE', 'rejected'],

  ['stopped', 'REQUEST_EXTENSION', 'rejected'], ['stopped', 'APPROVE_EXTENSION', 'rejected'], ['stopped', 'REJECT_EXTENSION', 'rejected'],
  ['stopped', 'REQUEST_SUSPENSION', 'rejected'], ['stopped', 'APPROVE_SUSPENSION', 'rejected'], ['stopped', 'REJECT_SUSPENSION', 'rejected'],
  ['stopped', 'RESUME', 'rejected'], ['stopped', 'RECOUNT_DEADLINE', 'rejected'],
];

describe('extensions and suspensions', () => {
  it('the table lists every situation × event exactly once', () => {
    const keys = TABLE.map(([situation, type]) => `${situation} ${type}`);
    expect(new Set(keys).size).toBe(Object.keys(SITUATIONS).length * NEW_EVENTS.length);
    expect(keys).toHaveLength(Object.keys(SITUATIONS).length * NEW_EVENTS.length);
  });

  it.each(TABLE)('%s + %s -> %s', (situation, type, expected) => {
    const snapshot = drive(SITUATIONS[situation]);
    const before = JSON.parse(JSON.stringify(snapshot)) as StoredSnapshot;

    const next = applyEvent(snapshot, event(type));

    if (expected === 'rejected') {
      expect(next).toBeNull();
    } else {
      expect(next).not.toBeNull();
      expect(deadlineState(next!.value)).toBe(expected);
      // the work never moves
      expect(stateDetail(next!.value)).toBe(stateDetail(snapshot.value));
    }
    expect(snapshot).toEqual(before);
  });

  it('REQUEST_EXTENSION records the pending request; REJECT_EXTENSION drops it and keeps the deadline', () => {
    const requested = drive(['ASSIGN', 'START', 'REQUEST_EXTENSION']);
    expect(requested.context.pendingRequest).toEqual({
      kind: 'extension',
      reason: 'parts on back-order',
      proposedDeadline: LATER,
      requestedAt: expect.any(String),
      requestedBy: 'actor-1',
    });

    const rejected = applyEvent(requested, event('REJECT_EXTENSION'))!;

    expect(rejected.context).toMatchObject({ pendingRequest: null, deadline: DEADLINE, originalDeadline: DEADLINE, extensionCount: 0 });
  });

  it('APPROVE_EXTENSION sets the new deadline, keeps the original, counts it, and starts the clock afresh on track', () => {
    // given an escalated problem whose department asked for more time
    const escalated = drive(['ASSIGN', 'START', 'DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE', 'ESCALATE', 'REQUEST_EXTENSION']);
    expect(escalated.context.escalationLevel).toBe(2);

    // when a supervisor approves it
    const approved = applyEvent(escalated, event('APPROVE_EXTENSION', {}, 'supervisor-1'))!;

    // then
    expect(deadlineState(approved.value)).toBe('onTrack');
    expect(approved.context).toMatchObject({
      deadline: LATER,
      originalDeadline: DEADLINE,
      extensionCount: 1,
      pendingRequest: null,
      remindersSent: 0,
      overdueSince: null,
      escalationLevel: 0,
    });
    expect(approved.context.extensions).toEqual([
      expect.objectContaining({
        from: DEADLINE,
        to: LATER,
        reason: 'parts on back-order',
        approvedBy: 'supervisor-1',
        clockBefore: { remindersSent: 1, overdueSince: DEADLINE, escalationLevel: 2 },
      }),
    ]);
  });

  it('APPROVE_SUSPENSION opens a suspension; RESUME closes it, moves the deadline and resumes where the clock stood', () => {
    // given an overdue problem, suspended by approval
    const suspended = drive(['ASSIGN', 'START', 'DEADLINE_PASSED', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION']);
    expect(deadlineState(suspended.value)).toBe('suspended');
    expect(suspended.context.suspensions).toEqual([
      expect.objectContaining({ to: null, reason: 'waiting for the landlord', workingDays: null, deadlineBefore: DEADLINE }),
    ]);

    // then the work may go on but not be handed in or handed over until it resumes
    expect(acceptedEvents(suspended)).toEqual(['REPORT_PROGRESS', 'CANCEL', 'RESUME']);

    // when it resumes (the engine counted 3 suspended working days)
    const resumed = applyEvent(suspended, event('RESUME'))!;

    // then
    expect(deadlineState(resumed.value)).toBe('overdue');
    expect(resumed.context.deadline).toBe('2026-04-06T10:00:00.000Z');
    expect(resumed.context.suspensions).toEqual([
      expect.objectContaining({ to: expect.any(String), workingDays: 3, deadlineAfter: '2026-04-06T10:00:00.000Z', resumedBy: 'actor-1' }),
    ]);
  });

  describe('RECOUNT_DEADLINE', () => {
    const V1 = { kind: 'policy', policyId: 'default', policyVersion: 1, calendarId: 'cn-mainland', calendarVersion: 1, from: '2026-03-02T01:02:00.000Z', workingDays: 10, provisional: false } as const;
    const V2 = { ...V1, calendarVersion: 2 };
    const RECOUNTED = '2026-03-17T10:00:00.000Z';
    const counted = (types: readonly RectificationEventType[] = []): StoredSnapshot => {
      let snapshot = applyEvent(startRectification(INPUT), event('ASSIGN', { deadline: DEADLINE, deadlineBasis: V1 }))!;
      for (const type of types) snapshot = applyEvent(snapshot, event(type))!;
      return snapshot;
    };

    it('records the recounted deadline and its new basis, keeps the original deadline and a pending request', () => {
      // given a running clock on a deadline counted on calendar version 1, with an extension request pending
      const running = counted(['START', 'REQUEST_EXTENSION']);

      // when the engine's recount on version 2 is sent
      const recounted = applyEvent(running, event('RECOUNT_DEADLINE', { deadline: RECOUNTED, deadlineBasis: V2 }, 'supervisor-1'))!;

      // then
      expect(recounted.value).toEqual({ rectification: { rectifying: 'inProgress' }, deadline: 'onTrack' });
      expect(recounted.context).toMatchObject({
        deadline: RECOUNTED,
        deadlineBasis: V2,
        originalDeadline: DEADLINE,
        extensionCount: 0,
        pendingRequest: { kind: 'extension' },
      });
    });

    it('a recounted deadline still ahead puts an overdue, escalated clock back on track, as an extension does', () => {
      const escalated = drive(['ASSIGN', 'START', 'DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE']);

      const recounted = applyEvent(escalated, event('RECOUNT_DEADLINE', { deadline: '2026-04-10T10:00:00.000Z', deadlineBasis: V2 }))!;

      expect(deadlineState(recounted.value)).toBe('onTrack');
      expect(recounted.context).toMatchObject({ deadline: '2026-04-10T10:00:00.000Z', remindersSent: 0, overdueSince: null, escalationLevel: 0 });
    });

    it('a recounted deadline already passed leaves the clock where it stands: elapsed time is not forgiven', () => {
      const escalated = drive(['ASSIGN', 'START', 'DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE']);

      const recounted = applyEvent(escalated, event('RECOUNT_DEADLINE', { deadline: '2026-03-02T00:30:00.000Z', deadlineBasis: V2 }))!;

      expect(deadlineState(recounted.value)).toBe('escalated');
      expect(recounted.context).toMatchObject({ deadline: '2026-03-02T00:30:00.000Z', remindersSent: 1, overdueSince: DEADLINE, escalationLevel: 1 });
    });

    it('is refused while the clock is not running (suspended, verifying, stopped, not set, cancelled)', () => {
      const refused = [
        drive(['ASSIGN', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION']),
        drive(['ASSIGN', 'START', 'SUBMIT']),
        drive(['ASSIGN', 'START', 'SUBMIT', 'APPROVE']),
        startRectification(INPUT),
        drive(['ASSIGN', 'CANCEL']),
      ].map((snapshot) => applyEvent(snapshot, event('RECOUNT_DEADLINE', { deadlineBasis: V2 })));

      expect(refused).toEqual([null, null, null, null, null]);
    });

    it('replays to the same snapshot', () => {
      const types: RectificationEventType[] = ['START', 'RECOUNT_DEADLINE'];
      let snapshot = startRectification(INPUT);
      const entries: ReplayableEntry[] = [
        { problemId: 'p-1', eventType: 'FILE', payload: { severity: 'major' }, actorId: 'inspector-1', occurredAt: FILED_AT },
      ];
      for (const fired of [event('ASSIGN', { deadlineBasis: V1 }), ...types.map((type) => event(type, type === 'RECOUNT_DEADLINE' ? { deadlineBasis: V2 } : {}))]) {
        snapshot = applyEvent(snapshot, fired)!;
        entries.push({ problemId: 'p-1', eventType: fired.type, payload: JSON.parse(JSON.stringify(fired)), actorId: 'actor-1', occurredAt: fired.at });
      }

      expect(replayHistory(entries)).toEqual(snapshot);
      expect(snapshot.context.deadlineBasis).toEqual(V2);
    });

    describe('rules', () => {
      const NOW = new Date('2026-03-10T00:00:00.000Z');

      it('an explicit deadline is not recounted -> PROBLEM.DEADLINE_NOT_FROM_POLICY', () => {
        const explicit = drive(['ASSIGN', 'START']);

        expect(ruleViolation(explicit.context, event('RECOUNT_DEADLINE'), NOW)).toMatchObject({ code: 'PROBLEM.DEADLINE_NOT_FROM_POLICY' });
      });

      it('a recount on the same calendar version changes nothing -> PROBLEM.DEADLINE_ALREADY_CURRENT', () => {
        const running = counted(['START']);

        expect(ruleViolation(running.context, event('RECOUNT_DEADLINE', { deadline: undefined }), NOW)).toMatchObject({ code: 'PROBLEM.DEADLINE_ALREADY_CURRENT' });
        expect(ruleViolation(running.context, event('RECOUNT_DEADLINE', { deadlineBasis: V1 }), NOW)).toMatchObject({ code: 'PROBLEM.DEADLINE_ALREADY_CURRENT' });
        expect(ruleViolation(running.context, event('RECOUNT_DEADLINE', { deadlineBasis: V2 }), NOW)).toBeNull();
      });
    });
  });

  it('a pending request lapses on SUBMIT and on REASSIGN; CANCEL closes an open suspension', () => {
    const submitted = applyEvent(drive(['ASSIGN', 'START', 'REQUEST_EXTENSION']), event('SUBMIT'))!;
    const reassigned = applyEvent(drive(['ASSIGN', 'REQUEST_SUSPENSION']), event('REASSIGN'))!;
    const cancelled = applyEvent(drive(['ASSIGN', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION']), event('CANCEL'))!;

    expect(submitted.context.pendingRequest).toBeNull();
    expect(reassigned.context.pendingRequest).toBeNull();
    expect(cancelled.context.suspensions[0]).toMatchObject({ to: expect.any(String), workingDays: null });
    expect(deadlineState(cancelled.value)).toBe('cancelled');
  });

  it('replays a history with extensions and suspensions to the same snapshot', () => {
    const types: RectificationEventType[] = ['ASSIGN', 'REQUEST_EXTENSION', 'APPROVE_EXTENSION', 'REQUEST_SUSPENSION', 'APPROVE_SUSPENSION', 'RESUME', 'START'];
    let snapshot = startRectification(INPUT);
    const entries: ReplayableEntry[] = [
      { problemId: 'p-1', eventType: 'FILE', payload: { severity: 'major' }, actorId: 'inspector-1', occurredAt: FILED_AT },
    ];
    for (const type of types) {
      const fired = event(type, type === 'RESUME' ? { deadline: '2026-05-06T10:00:00.000Z' } : {});
      snapshot = applyEvent(snapshot, fired)!;
      entries.push({ problemId: 'p-1', eventType: type, payload: JSON.parse(JSON.stringify(fired)), actorId: 'actor-1', occurredAt: fired.at });
    }

    expect(replayHistory(entries)).toEqual(snapshot);
    expect(snapshot.context).toMatchObject({ deadline: '2026-05-06T10:00:00.000Z', originalDeadline: DEADLINE, extensionCount: 1 });
  });

  describe('rules', () => {
    const NOW = new Date('2026-03-10T00:00:00.000Z');
    const running = drive(['ASSIGN', 'START', 'REQUEST_EXTENSION']);

    it('an extension must be later than the current deadline -> PROBLEM.EXTENSION_NOT_LATER', () => {
      const request = event('REQUEST_EXTENSION', { proposedDeadline: DEADLINE });
      const approval = event('APPROVE_EXTENSION', { deadline: '2026-03-31T00:00:00.000Z' });

      expect(ruleViolation(running.context, request, NOW)).toMatchObject({ code: 'PROBLEM.EXTENSION_NOT_LATER', details: { field: 'proposedDeadline' } });
      expect(ruleViolation(running.context, approval, NOW)).toMatchObject({ code: 'PROBLEM.EXTENSION_NOT_LATER', details: { field: 'deadline' } });
    });

    it('an extension must lie in the future -> PROBLEM.DEADLINE_IN_PAST', () => {
      const overdue = { ...running.context, deadline: '2026-03-05T00:00:00.000Z' };
      const request = event('REQUEST_EXTENSION', { proposedDeadline: '2026-03-08T00:00:00.000Z' });

      expect(ruleViolation(overdue, request, NOW)).toMatchObject({ code: 'PROBLEM.DEADLINE_IN_PAST', details: { field: 'proposedDeadline' } });
      expect(ruleViolation(running.context, event('REQUEST_EXTENSION'), NOW)).toBeNull();
      expect(ruleViolation(running.context, event('APPROVE_EXTENSION'), NOW)).toBeNull();
    });
  });
});
