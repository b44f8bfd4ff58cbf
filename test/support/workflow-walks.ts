import fc from 'fast-check';
import { SEVERITIES } from '#domain';
import {
  FILE_EVENT,
  type RectificationEvent,
  type RectificationInput,
  type ReplayableEntry,
  replayMachineFor,
  TIMER_EVENT_TYPES,
  type VersionedSnapshot,
} from '#rectification';

/**
 * Random walks of one problem through the machine of any workflow version, recorded as the engine records them
 * (only accepted events become history rows, each naming the version that wrote it): how the version tests make
 * real snapshots and histories of old versions.
 */

const MIN_MS = Date.parse('2020-01-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

const iso = fc.integer({ min: MIN_MS, max: Date.parse('2035-01-01T00:00:00.000Z') }).map((ms) => new Date(ms).toISOString());
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const departmentId = fc.constantFrom('dept-a', 'dept-b');

type Unstamped = RectificationEvent extends infer E ? (E extends RectificationEvent ? Omit<E, 'at' | 'actorId'> : never) : never;

// Weighted so that walks get past verification, into extensions and suspensions, and up the escalation ladder.
const unstampedEvent: fc.Arbitrary<Unstamped> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('ASSIGN' as const), departmentId, responsiblePerson: text, deadline: iso }, { requiredKeys: ['type', 'departmentId'] }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('REASSIGN' as const), departmentId, reason: text }) },
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant('START' as const), measures: text, responsiblePerson: text, plannedCompletionDate: iso.map((s) => s.slice(0, 10)) }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('REPORT_PROGRESS' as const), note: text, percent: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: ['type', 'note'] }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('SUBMIT' as const), summary: text }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('APPROVE' as const), comment: text }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('REJECT' as const), reason: text }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('CLOSE' as const), comment: text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('CANCEL' as const), reason: text }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('REOPEN' as const), reason: text, deadline: iso }, { requiredKeys: ['type', 'reason'] }) },
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
  { weight: 1, arbitrary: fc.record({ type: fc.constant('RECOUNT_DEADLINE' as const), reason: text, deadline: iso }, { requiredKeys: ['type', 'reason'] }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('DEADLINE_REMINDER' as const), scheduledFor: iso, workingDaysBefore: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('DEADLINE_PASSED' as const), scheduledFor: iso }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('ESCALATE' as const), scheduledFor: iso, level: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('VERIFICATION_OVERDUE' as const), scheduledFor: iso }) },
);

export const walk = fc.record({
  problemId: fc.uuid(),
  severity: fc.constantFrom(...SEVERITIES),
  filedAtMs: fc.integer({ min: MIN_MS, max: MIN_MS + 365 * DAY_MS }),
  deadline: fc.option(iso, { nil: undefined }),
  steps: fc.array(fc.record({ event: unstampedEvent, gapMs: fc.integer({ min: 1, max: 3 * DAY_MS }) }), { maxLength: 60, size: 'max' }),
});
export type Walk = typeof walk extends fc.Arbitrary<infer T> ? T : never;

export interface WalkRun {
  final: VersionedSnapshot;
  /** The snapshot after filing and after each accepted event. */
  snapshots: VersionedSnapshot[];
  entries: ReplayableEntry[];
}

const TIMER_TYPES: readonly string[] = TIMER_EVENT_TYPES;

/** The filing of a walk, as the machine input and as its FILE history row. */
export function filingOf(w: Walk, machineVersion?: string): { input: RectificationInput; entry: ReplayableEntry } {
  const filedAt = new Date(w.filedAtMs).toISOString();
  const deadline = w.deadline === undefined ? {} : { deadline: w.deadline };
  return {
    input: { problemId: w.problemId, severity: w.severity, filedBy: 'inspector-1', filedAt, ...deadline },
    entry: {
      problemId: w.problemId,
      eventType: FILE_EVENT,
      payload: { title: 'Loose railing', severity: w.severity, ...deadline },
      actorId: 'inspector-1',
      occurredAt: filedAt,
      ...(machineVersion === undefined ? {} : { machineVersion }),
    },
  };
}

/**
 * Files the walk's problem under `version` and applies each step the state accepts; or, given `continued`, goes on
 * from a snapshot another version left (no filing row). History rows name `version`.
 */
export function runWalk(w: Walk, version: string, continued?: { snapshot: VersionedSnapshot; atMs: number }): WalkRun {
  const machine = replayMachineFor(version);
  const filing = filingOf(w, version);
  let snapshot = continued?.snapshot ?? machine.start(filing.input);
  const entries: ReplayableEntry[] = continued ? [] : [filing.entry];
  const snapshots = [snapshot];
  let clock = continued?.atMs ?? w.filedAtMs;
  for (const { event: unstamped, gapMs } of w.steps) {
    clock += gapMs;
    const actorId = TIMER_TYPES.includes(unstamped.type) ? 'system' : 'actor-1';
    const event = { ...unstamped, at: new Date(clock).toISOString(), actorId } as RectificationEvent;
    const next = machine.apply(snapshot, event);
    if (!next) continue;
    snapshot = next;
    snapshots.push(snapshot);
    entries.push({ problemId: w.problemId, eventType: event.type, payload: event as unknown as Record<string, unknown>, actorId, occurredAt: event.at, machineVersion: version });
  }
  return { final: snapshot, snapshots, entries };
}

/** The instant of a walk's last step (where a continued walk goes on from). */
export function walkEndMs(w: Walk): number {
  return w.steps.reduce((ms, step) => ms + step.gapMs, w.filedAtMs);
}

export function jsonRoundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
