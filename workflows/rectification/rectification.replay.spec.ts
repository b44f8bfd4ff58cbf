import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SEVERITIES } from '#domain';
import { FILE_EVENT, type HumanEvent, type RectificationEvent, type RectificationInput } from './rectification.events.js';
import { acceptedEvents, applyEvent, startRectification, stateDetail, type StoredSnapshot } from './rectification.workflow.js';
import { replayHistory, type ReplayableEntry } from './replay.js';

const MIN_MS = Date.parse('2020-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('2035-01-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

const iso = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
// Free text as people type it, Chinese included: it goes through JSON on its way to the database.
const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const departmentId = fc.constantFrom('dept-a', 'dept-b', 'dept-c');
const actorId = fc.oneof(fc.constantFrom('inspector-1', 'dept-user-1', 'supervisor-1', 'admin-1'), fc.uuid());

/** An event without its stamp; optional fields are sometimes absent, never `undefined`. */
type Unstamped = HumanEvent extends infer E ? (E extends HumanEvent ? Omit<E, 'at' | 'actorId'> : never) : never;

// Weighted so that random walks get past verification often: CANCEL ends a walk and REASSIGN undoes
// progress, so at equal odds few sequences would ever reach verified, closed or a reopening.
const unstampedEvent: fc.Arbitrary<Unstamped> = fc.oneof(
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
  {
    weight: 4,
    arbitrary: fc.record(
      { type: fc.constant('REPORT_PROGRESS' as const), note: text, percent: fc.integer({ min: 0, max: 100 }) },
      { requiredKeys: ['type', 'note'] },
    ),
  },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('SUBMIT' as const), summary: text }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('APPROVE' as const), comment: text }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('REJECT' as const), reason: text }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('CLOSE' as const), comment: text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('CANCEL' as const), reason: text }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('REOPEN' as const), reason: text }) },
);

const filing = fc.record(
  {
    problemId: fc.uuid(),
    severity: fc.constantFrom(...SEVERITIES),
    filedBy: actorId,
    filedAtMs: fc.integer({ min: MIN_MS, max: MIN_MS + 365 * DAY_MS }),
    deadline: iso,
  },
  { requiredKeys: ['problemId', 'severity', 'filedBy', 'filedAtMs'] },
);

const step = fc.record({ event: unstampedEvent, actorId, gapMs: fc.integer({ min: 1, max: 3 * DAY_MS }) });

const scenario = fc.record({ filing, steps: fc.array(step, { maxLength: 80, size: 'max' }) });
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Run {
  final: StoredSnapshot;
  snapshots: StoredSnapshot[];
  entries: ReplayableEntry[];
}

/** Files a problem, then applies every step the current state accepts, recording history as the engine does. */
function run({ filing: f, steps }: Scenario): Run {
  const filedAt = new Date(f.filedAtMs).toISOString();
  const input: RectificationInput = {
    problemId: f.problemId,
    severity: f.severity,
    filedBy: f.filedBy,
    filedAt,
    ...(f.deadline === undefined ? {} : { deadline: f.deadline }),
  };
  const entries: ReplayableEntry[] = [
    {
      problemId: f.problemId,
      eventType: FILE_EVENT,
      payload: { title: 'Loose railing', severity: f.severity, ...(f.deadline === undefined ? {} : { deadline: f.deadline }) },
      actorId: f.filedBy,
      occurredAt: filedAt,
    },
  ];
  let snapshot = startRectification(input);
  const snapshots = [snapshot];
  let clock = f.filedAtMs;
  for (const { event: unstamped, actorId: sender, gapMs } of steps) {
    clock += gapMs;
    const event = { ...unstamped, at: new Date(clock).toISOString(), actorId: sender } as HumanEvent;
    const next = applyEvent(snapshot, event);
    // applyEvent and acceptedEvents must agree on what the state accepts
    expect(next !== null).toBe(acceptedEvents(snapshot).includes(event.type));
    if (!next) continue;
    snapshot = next;
    snapshots.push(snapshot);
    entries.push({
      problemId: f.problemId,
      eventType: event.type,
      payload: event as unknown as Record<string, unknown>,
      actorId: sender,
      occurredAt: event.at,
    });
  }
  return { final: snapshot, snapshots, entries };
}

function jsonRoundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe(replayHistory.name, () => {
  it('rebuilds the final snapshot from the history alone, for any sequence of events', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        // given a problem driven through random events
        const { final, entries } = run(s);

        // when its history is replayed, as read back from the database (JSON)
        const replayed = replayHistory(jsonRoundTrip(entries));

        // then
        expect(replayed).toEqual(final);
        expect(replayHistory(entries)).toEqual(final);
      }),
      { numRuns: 300 },
    );
  });

  it('snapshots survive a JSON round-trip unchanged, and continue the same way afterwards', () => {
    fc.assert(
      fc.property(scenario, unstampedEvent, (s, probe) => {
        const { snapshots, final } = run(s);

        for (const snapshot of snapshots) expect(jsonRoundTrip(snapshot)).toStrictEqual(snapshot);

        // a snapshot loaded from JSON behaves exactly like the one that was stored
        const event = { ...probe, at: '2036-01-01T00:00:00.000Z', actorId: 'probe' } as RectificationEvent;
        expect(applyEvent(jsonRoundTrip(final), event)).toEqual(applyEvent(final, event));
        expect(acceptedEvents(jsonRoundTrip(final))).toEqual(acceptedEvents(final));
      }),
      { numRuns: 200 },
    );
  });

  it('the generator reaches every state, so the properties above mean something', () => {
    const reached = new Set<string>();
    let reopened = false;
    let reworked = false;
    for (const s of fc.sample(scenario, { numRuns: 300, seed: 42 })) {
      for (const snapshot of run(s).snapshots) {
        reached.add(stateDetail(snapshot.value));
        reopened ||= snapshot.context.reopenCount > 0;
        reworked ||= snapshot.context.reworkCount > 0;
      }
    }

    expect([...reached].sort()).toEqual(
      [
        'found',
        'assigned',
        'rectifying.inProgress',
        'rectifying.awaitingVerification',
        'verified',
        'closed',
        'cancelled',
      ].sort(),
    );
    expect(reopened).toBe(true);
    expect(reworked).toBe(true);
  });

  it('refuses a history that does not start with FILE', () => {
    expect(() => replayHistory([])).toThrow('FILE');
    expect(() =>
      replayHistory([
        { problemId: 'p', eventType: 'ASSIGN', payload: { type: 'ASSIGN' }, actorId: 'a', occurredAt: '2026-01-01T00:00:00.000Z' },
      ]),
    ).toThrow('FILE');
  });

  it('refuses a history entry the state does not accept', () => {
    const filed: ReplayableEntry = {
      problemId: 'p',
      eventType: FILE_EVENT,
      payload: { severity: 'minor' },
      actorId: 'inspector-1',
      occurredAt: '2026-01-01T00:00:00.000Z',
    };
    const close: ReplayableEntry = {
      problemId: 'p',
      eventType: 'CLOSE',
      payload: { type: 'CLOSE', comment: 'too early', at: '2026-01-02T00:00:00.000Z', actorId: 'supervisor-1' },
      actorId: 'supervisor-1',
      occurredAt: '2026-01-02T00:00:00.000Z',
    };

    expect(() => replayHistory([filed, close])).toThrow('CLOSE');
  });
});
